-- ARGV: 1 seat, 2 null reason number. Returns the seq of the seat's end, or 0 when the room did not hold it.
return end_seat(ARGV[1], ARGV[2])
