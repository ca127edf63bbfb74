// Command-line handling and lifecycle shared by the benchmark peers.

/**
 * Reads `--port P` (0 picks a free port) and `--host H` (default 127.0.0.1: benchmarks stay on loopback).
 * @param {string[]} argv process.argv without node and script
 * @returns {{ port: number, host: string }}
 */
export function parseArgs (argv) {
  let port = null
  let host = '127.0.0.1'
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = argv[i + 1]
    if (flag === '--port' && value !== undefined) {
      port = Number(value)
      i++
    } else if (flag === '--host' && value !== undefined) {
      host = value
      i++
    } else {
      fail(`unknown argument '${flag}'`)
    }
  }
  if (port === null || !Number.isInteger(port) || port < 0 || port > 65535) {
    fail('--port P is required, 0 <= P <= 65535 (0 picks a free port)')
  }
  return { port, host }
}

/**
 * Prints the one readiness line the benchmark runner waits for, then exits cleanly on SIGTERM or SIGINT.
 * @param {string} name the peer's name
 * @param {import('node:http').Server} server the listening server
 * @param {() => void} closeConnections ends every open connection
 */
export function announceAndAwaitSignal (name, server, closeConnections) {
  console.log(`${name} listening on port ${server.address().port}`)
  const stop = () => {
    closeConnections()
    server.close()
    // Libraries keep per-document and per-connection timers; they must not hold the process open.
    process.exit(0)
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

function fail (message) {
  console.error(message)
  process.exit(2)
}
