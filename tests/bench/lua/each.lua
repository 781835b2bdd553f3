-- each: a function applied to each of 10^6 ints, the results in a new array
local v = {} for i = 1, 1000000 do v[i] = i - 1 end
local f = function(x) return x + 1 end
local r = {} for i = 1, #v do r[i] = f(v[i]) end
