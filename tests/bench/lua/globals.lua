-- globals: a table of 10^5 names, each updated once by name
local s, g = {}, {} for i = 0, 99999 do s[i] = "g" .. i; g[s[i]] = 0 end
for i = 0, 99999 do local k = s[i]; g[k] = g[k] + 1 end
