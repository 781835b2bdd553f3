-- amend: a[i] = i done 10^5 times on an array of 10^5 ints
local a = {} for i = 1, 100000 do a[i] = 0 end
for i = 1, 100000 do a[i] = i - 1 end
