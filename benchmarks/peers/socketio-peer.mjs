// A Socket.IO server that broadcasts each `cursor` event to the sender's room, the sender included.
// WebSocket transport only, no compression. The room is the handshake query parameter `room`.
import http from 'node:http'
import { Server } from 'socket.io'
import { announceAndAwaitSignal, parseArgs } from './peer-args.mjs'

const { port, host } = parseArgs(process.argv.slice(2))

const server = http.createServer()
const io = new Server(server, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false
})

io.on('connection', socket => {
  const room = socket.handshake.query.room
  if (typeof room !== 'string' || room.length === 0) {
    socket.disconnect(true)
    return
  }
  // The in-memory adapter joins synchronously, so the room holds the socket before any event arrives.
  socket.join(room)
  socket.on('cursor', data => {
    io.to(room).emit('cursor', data)
  })
})

server.listen(port, host, () => {
  announceAndAwaitSignal('socket.io peer', server, () => io.disconnectSockets(true))
})
