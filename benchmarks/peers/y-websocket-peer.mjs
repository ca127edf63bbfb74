// A y-websocket server with the library's default settings: no persistence, default gc. The document name
// (the room) is the URL path; awareness updates are relayed by the library to every connection of the
// document, the sender's included.
import http from 'node:http'
import { WebSocketServer } from 'ws'
import { setupWSConnection } from '@y/websocket-server/utils'
import { announceAndAwaitSignal, parseArgs } from './peer-args.mjs'

const { port, host } = parseArgs(process.argv.slice(2))

const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
const wss = new WebSocketServer({ noServer: true })
wss.on('connection', setupWSConnection)
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, ws => wss.emit('connection', ws, request))
})

server.listen(port, host, () => {
  announceAndAwaitSignal('y-websocket peer', server, () => wss.clients.forEach(ws => ws.terminate()))
})
