-- dict: 10^6 updates d[k] = d[k] + 1 of a table of 1000 string keys
local s, d = {}, {} for i = 0, 999 do s[i] = "k" .. i; d[s[i]] = 0 end
for i = 0, 999999 do local k = s[i % 1000]; d[k] = d[k] + 1 end
