-- over: a dyadic function folded over 10^6 ints
local v = {} for i = 1, 1000000 do v[i] = i - 1 end
local f = function(x, y) return x + y end
local a = v[1] for i = 2, #v do a = f(a, v[i]) end
