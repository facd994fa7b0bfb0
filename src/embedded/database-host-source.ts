/**
 * The program that hosts PGlite, as plain JavaScript: run by a worker thread (`eval`) or by a
 * child process (read from its stdin). PGlite loads Node built-ins through dynamic import(), which
 * fails inside Jest's module sandbox, and runs queries as synchronous WebAssembly that would stall
 * the app's event loop; a thread or process of its own avoids both.
 *
 * In a thread its settings come as `workerData` and messages travel over the parent port; in a
 * process the settings are the first message of the IPC channel, and the process ends once the
 * database is closed or its parent goes away. The `closed` message carries the host's peak
 * resident memory (the whole process's, when it runs as a thread).
 */
export const DATABASE_HOST_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');

const channel = parentPort
  ? { send: (message) => parentPort.postMessage(message), listen: (handler) => parentPort.on('message', handler), last: (message) => parentPort.postMessage(message) }
  : {
      send: (message) => process.send(message),
      listen: (handler) => process.on('message', handler),
      // Sent, then the channel closes and the process ends.
      last: (message) => process.send(message, () => process.disconnect()),
    };

function failed(error) {
  channel.last({ type: 'failed', message: String((error && error.stack) || error) });
}

async function start(settings) {
  const { PGlite } = require(settings.modules.pglite);
  const { pg_trgm } = require(settings.modules.pgTrgm);
  const { vector } = require(settings.modules.vector);
  const { PGLiteSocketServer } = require(settings.modules.socket);
  const db = await PGlite.create({
    dataDir: settings.dataDir,
    extensions: { pg_trgm, vector },
    startParams: [...PGlite.defaultStartParams, ...settings.startParams],
  });
  const server = new PGLiteSocketServer({ db, host: settings.host, port: settings.port, maxConnections: settings.maxConnections });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  channel.listen((message) => {
    if (message !== 'close') return;
    server.stop()
      .then(() => db.close())
      .then(() => channel.last({ type: 'closed', peakKb: process.resourceUsage().maxRSS }))
      .catch(failed);
  });
  channel.send({ type: 'listening', port: Number(server.getServerConn().split(':').pop()) });
}

if (parentPort) {
  start(workerData).catch(failed);
} else {
  process.once('disconnect', () => process.exit(0));
  process.once('message', (settings) => start(settings).catch(failed));
}
`;
