-- append: one element appended to an array 10^5 times
local a = {}
for _ = 1, 100000 do a[#a + 1] = 1 end
