-- dict1: 10^6 updates d.a = d.a + 1 of one key of a small table
local d = {a = 0, b = 0}
for _ = 1, 1000000 do d.a = d.a + 1 end
