-- nested: 10^5 small lists {x, {x}, "ab"} made in an array
local r = {} for x = 0, 99999 do r[x + 1] = {x, {x}, "ab"} end
