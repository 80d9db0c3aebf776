/**
 * What a per-request rate limiter in Postgres would cost, to weigh it against the heartbeat share
 * (src/vk/api-share.ts). Three "instances" (separate connections) each take slots as fast as they
 * can from one per-second counter row, the `INSERT … ON CONFLICT` design:
 *
 *   insert into bench_vk_rate (second, used) values (floor(extract(epoch from clock_timestamp())), 1)
 *   on conflict (second) do update set used = bench_vk_rate.used + 1 where bench_vk_rate.used < $limit
 *   returning used
 *
 * Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/shared-rate-limiter.ts
 * The limit is set high so the bench measures the round trip, not the waiting.
 */
import postgres from 'postgres';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL');
const INSTANCES = 3;
const PER_INSTANCE = 700;

const setup = postgres(url, { max: 1, onnotice: () => {} });
await setup`create unlogged table if not exists bench_vk_rate (second bigint primary key, used int not null)`;
await setup`truncate bench_vk_rate`;

const latencies: number[] = [];
const started = performance.now();
await Promise.all(
  Array.from({ length: INSTANCES }, async () => {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    for (let i = 0; i < PER_INSTANCE; i += 1) {
      const t = performance.now();
      await sql`
        insert into bench_vk_rate (second, used) values (floor(extract(epoch from clock_timestamp())), 1)
        on conflict (second) do update set used = bench_vk_rate.used + 1 where bench_vk_rate.used < 1000000
        returning used`;
      latencies.push(performance.now() - t);
    }
    await sql.end();
  }),
);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2);
console.log(`${latencies.length} slot acquisitions by ${INSTANCES} connections in ${seconds.toFixed(2)} s`);
console.log(`latency per acquisition: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
await setup`drop table bench_vk_rate`;
await setup.end();
