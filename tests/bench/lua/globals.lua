-- globals: a table of 10^5 names, each updated 10 times by name
local s, g = {}, {} for i = 0, 99999 do s[i] = "g" .. i; g[s[i]] = 0 end
for i = 0, 999999 do local k = s[i % 100000]; g[k] = g[k] + 1 end
