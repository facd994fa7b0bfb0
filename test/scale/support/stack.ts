import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { writeKeys } from '../../support/keys-file';
import { ADMIN_DB_URL, createDatabase, databaseUrl, dropDatabase } from '../../support/test-database';
import { HaproxyAdmin } from './haproxy-admin';
import { freePort, Service, untilListening } from './processes';

const ROOT = join(__dirname, '..', '..', '..');
const DIST_MAIN = join(ROOT, 'dist', 'main.js');
export const SERVICE_KEY = 'scale-service-key-0123456789';
export const LIMITED_KEY = 'scale-limited-key-0123456789';
export const LIMITED_RPM = 20;
export const STATEMENT_TIMEOUT_MS = 30_000;
/** The HAProxy backend and server names of deploy/haproxy/haproxy.cfg. */
export const BACKEND = 'squad_mcp_replicas';

async function sql(url: string, statements: readonly string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) {
      await client.query(statement);
    }
  } finally {
    await client.end();
  }
}

/** Overrides `key = value` lines of an ini file, keeping everything else as shipped. */
export function withSettings(ini: string, settings: Readonly<Record<string, string>>): string {
  let text = ini;
  for (const [key, value] of Object.entries(settings)) {
    const line = new RegExp(`^${key} = .*$`, 'm');
    if (!line.test(text)) {
      throw new Error(`${key} is not set in the shipped pgbouncer.ini`);
    }
    text = text.replace(line, `${key} = ${value}`);
  }
  return text;
}

/**
 * Everything of a scale-out deployment on this machine, each a real process: a database reached
 * only through PgBouncer (transaction pooling) by a read-only role, Redis, the demo squad-api,
 * three squad-mcp replicas from dist/, and HAProxy running deploy/haproxy/haproxy.cfg.
 */
export class Stack {
  readonly replicas: Service[] = [];
  readonly replicaPorts: number[] = [];
  private pgbouncer!: Service;
  private redis!: Service;
  private demoApi!: Service;
  /** Every process started, so that a failed start-up stops what it had started. */
  private readonly started: Service[] = [];
  admin!: HaproxyAdmin;
  url = '';
  redisPort = 0;
  pgbouncerPort = 0;
  private pgbouncerConfig = '';
  private redisGeneration = 0;
  private pgbouncerGeneration = 0;
  private replicaEnv: Record<string, string> = {};
  private readonly stamp = `${process.pid}_${Date.now()}`;
  private readonly dbName = `squad_scale_${this.stamp}`;
  readonly role = `squad_scale_${this.stamp}`;

  private constructor(readonly dir: string) {}

  static async start(): Promise<Stack> {
    const dir = await mkdtemp(join(tmpdir(), 'squad-scale-'));
    // PgBouncer refuses to run as root and then drops to `nobody`, which must read its files.
    await chmod(dir, 0o755);
    const stack = new Stack(dir);
    try {
      await stack.launch();
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  private async launch(): Promise<void> {
    await this.database();
    await Promise.all([this.startRedis(), this.startPgBouncer(), this.startDemoApi()]);
    await writeKeys(join(this.dir, 'keys.json'), [{ id: 'limited', key: LIMITED_KEY, rate_limit_rpm: LIMITED_RPM }]);
    this.replicaEnv = {
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DB_URL: `postgres://${this.role}@127.0.0.1:${this.pgbouncerPort}/squad`,
      DB_NAMED_STATEMENTS: 'false',
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      API_BASE_URL: await this.demoApi.output(/listening on (http:\S+)/).then((match) => match[1]!),
      API_KEY_PRIMARY: SERVICE_KEY,
      API_KEYS_FILE: join(this.dir, 'keys.json'),
      RATE_LIMIT_RPM: '1000000',
      REDIS_URL: `redis://127.0.0.1:${this.redisPort}`,
      RATE_LIMIT_REDIS_TIMEOUT_MS: '30000',
      API_MAX_QUEUE: '200',
      TRUST_PROXY: '1',
      SHUTDOWN_GRACE_SECONDS: '10',
      // Longer than HAProxy takes to mark a replica down (two checks 250 ms apart after the first failure).
      SHUTDOWN_ANNOUNCE_SECONDS: '2',
    };
    for (let index = 0; index < 3; index += 1) {
      this.replicaPorts.push(await freePort());
    }
    await Promise.all(this.replicaPorts.map((_port, index) => this.startReplica(index)));
    await this.startHaproxy();
    for (let index = 0; index < 3; index += 1) {
      await this.admin.untilUp(index);
    }
  }

  private spawn(name: string, command: string, args: readonly string[], env: Record<string, string>): Service {
    const service = new Service(name, command, args, { cwd: this.dir, env, logDir: this.dir });
    this.started.push(service);
    return service;
  }

  /** A fresh demo world, and a login role that can only read it, with the settings PgBouncer cannot carry. */
  private async database(): Promise<void> {
    const url = await createDatabase(this.dbName);
    execFileSync(process.execPath, [join(ROOT, 'dist', 'demo', 'seed.cli.js')], {
      cwd: this.dir,
      env: { PATH: process.env.PATH, DB_URL: url },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const role = `"${this.role}"`;
    // Identifiers cannot be bound as parameters; the role and database names are generated above.
    /* eslint-disable squad/no-sql-interpolation */
    await sql(url, [
      `CREATE ROLE ${role} LOGIN`,
      `GRANT CONNECT ON DATABASE "${this.dbName}" TO ${role}`,
      `GRANT USAGE ON SCHEMA public TO ${role}`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`,
      `ALTER ROLE ${role} SET default_transaction_read_only = on`,
      `ALTER ROLE ${role} SET statement_timeout = ${STATEMENT_TIMEOUT_MS}`,
    ]);
    /* eslint-enable squad/no-sql-interpolation */
  }

  private async startRedis(): Promise<void> {
    this.redisPort = this.redisPort === 0 ? await freePort() : this.redisPort;
    this.redisGeneration += 1;
    this.redis = this.spawn(`redis-${this.redisGeneration}`, 'redis-server', ['--bind', '127.0.0.1', '--port', String(this.redisPort), '--save', '', '--appendonly', 'no'], {});
    await untilListening(this.redisPort);
  }

  /** Stops Redis without saving (its counts are gone) and starts a fresh one on the same port. */
  async restartRedis(): Promise<{ downMs: number }> {
    const down = Date.now();
    await this.redis.stop('SIGKILL');
    await this.startRedis();
    return { downMs: Date.now() - down };
  }

  private async startPgBouncer(): Promise<void> {
    if (this.pgbouncerConfig === '') {
      this.pgbouncerPort = await freePort();
      const shipped = await readFile(join(ROOT, 'deploy', 'pgbouncer', 'pgbouncer.ini'), 'utf8');
      const postgres = new URL(ADMIN_DB_URL);
      const config = withSettings(shipped, {
        squad: `host=${postgres.hostname} port=${postgres.port || '5432'} dbname=${this.dbName}`,
        listen_addr: '127.0.0.1',
        listen_port: String(this.pgbouncerPort),
        // This machine's PostgreSQL trusts local connections; production uses scram-sha-256.
        auth_type: 'trust',
        auth_file: join(this.dir, 'userlist.txt'),
        pidfile: '',
      });
      this.pgbouncerConfig = join(this.dir, 'pgbouncer.ini');
      await writeFile(this.pgbouncerConfig, config, { mode: 0o644 });
      await writeFile(join(this.dir, 'userlist.txt'), `"${this.role}" ""\n`, { mode: 0o644 });
    }
    this.pgbouncerGeneration += 1;
    const asRoot = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
    this.pgbouncer = this.spawn(`pgbouncer-${this.pgbouncerGeneration}`, 'pgbouncer', [...asRoot, this.pgbouncerConfig], {});
    await untilListening(this.pgbouncerPort);
  }

  /** Stops PgBouncer at once (SIGTERM: every client connection drops) and starts it again. */
  async restartPgBouncer(): Promise<{ downAt: number; upAt: number }> {
    const downAt = Date.now();
    await this.pgbouncer.stop('SIGTERM');
    await this.startPgBouncer();
    return { downAt, upAt: Date.now() };
  }

  private async startDemoApi(): Promise<void> {
    this.demoApi = this.spawn('demo-api', process.execPath, [join(ROOT, 'dist', 'demo', 'demo-api.cli.js')], {
      HOST: '127.0.0.1',
      PORT: '0',
      DB_URL: databaseUrl(this.dbName),
      DB_POOL_SIZE: '10',
    });
    await this.demoApi.output(/listening on/);
  }

  /** Starts replica `index` on its port and resolves once it listens. */
  async startReplica(index: number): Promise<void> {
    const replica = this.spawn(`squad-mcp-${index + 1}`, process.execPath, [DIST_MAIN], { ...this.replicaEnv, PORT: String(this.replicaPorts[index]) });
    this.replicas[index] = replica;
    await replica.output(/listening on/);
  }

  private async startHaproxy(): Promise<void> {
    const port = await freePort();
    const socket = join(this.dir, 'haproxy.sock');
    this.spawn('haproxy', 'haproxy', ['-f', join(ROOT, 'deploy', 'haproxy', 'haproxy.cfg'), '-db'], {
      SQUAD_MCP_BIND: `127.0.0.1:${port}`,
      SQUAD_MCP_1: `127.0.0.1:${this.replicaPorts[0]}`,
      SQUAD_MCP_2: `127.0.0.1:${this.replicaPorts[1]}`,
      SQUAD_MCP_3: `127.0.0.1:${this.replicaPorts[2]}`,
      HAPROXY_ADMIN_SOCKET: socket,
    });
    await untilListening(port);
    this.url = `http://127.0.0.1:${port}`;
    this.admin = new HaproxyAdmin(socket, BACKEND);
  }

  async stop(): Promise<void> {
    await Promise.all(this.started.map((service) => service.stop('SIGKILL')));
    await dropDatabase(this.dbName);
    // eslint-disable-next-line squad/no-sql-interpolation
    await sql(ADMIN_DB_URL, [`DROP ROLE IF EXISTS "${this.role}"`]);
  }
}
