-- dict1: 10^5 updates d.a = d.a + 1 of one key of a small table
local d = {a = 0, b = 0}
for _ = 1, 100000 do d.a = d.a + 1 end
