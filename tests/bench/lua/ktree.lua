-- ktree: 10^6 updates of a global in another table by its full name
k = {t = {x = 0}}
for i = 0, 999999 do k.t.x = k.t.x + i end
