-- amend: a[i] = i done 10^6 times on an array of 10^6 ints
local a = {} for i = 1, 1000000 do a[i] = 0 end
for i = 1, 1000000 do a[i] = i - 1 end
