import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';

export interface NightStatus {
  council: string;
  nightDate: string;
  state: string;
  stages: { stage: string; state: string; attempts: number; outcome: string | null; warnings: string[]; error: string | null }[];
}

export interface FleetStatus {
  queues: { name: string; counts: Record<string, number> }[];
  nights: NightStatus[];
  quarantined: { source: string; name: string; updatedAt: string }[];
}

/** What IT support looks at in the morning: queues, the last nights, quarantined files. */
export async function fleetStatus(ds: DataSource, queues: Queue[], nights = 10): Promise<FleetStatus> {
  const queueCounts = await Promise.all(
    queues.map(async (q) => ({
      name: q.name,
      counts: await q.getJobCounts('active', 'waiting', 'waiting-children', 'delayed', 'completed', 'failed'),
    })),
  );
  const rows: {
    council: string; night_date: string; state: string;
    stage: string | null; stage_state: string | null; attempts: number | null; summary: { outcome?: string; warnings?: string[] } | null; error: string | null;
  }[] = await ds.query(
    `WITH last AS (SELECT council, night_date, state FROM night ORDER BY night_date DESC, council LIMIT $1)
     SELECT l.council, to_char(l.night_date, 'YYYY-MM-DD') AS night_date, l.state,
            s.stage, s.state AS stage_state, s.attempts, s.summary, s.error
       FROM last l LEFT JOIN night_stage s ON s.council = l.council AND s.night_date = l.night_date
      ORDER BY l.night_date DESC, l.council, s.started_at NULLS LAST`,
    [nights],
  );
  const byNight = new Map<string, NightStatus>();
  for (const r of rows) {
    const key = `${r.council}/${r.night_date}`;
    let n = byNight.get(key);
    if (!n) byNight.set(key, (n = { council: r.council, nightDate: r.night_date, state: r.state, stages: [] }));
    if (r.stage) {
      n.stages.push({
        stage: r.stage,
        state: r.stage_state ?? '',
        attempts: r.attempts ?? 0,
        outcome: r.summary?.outcome ?? null,
        warnings: r.summary?.warnings ?? [],
        error: r.error,
      });
    }
  }
  const quarantined: { source: string; name: string; updated_at: string }[] = await ds.query(
    `SELECT source, name, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at
       FROM inbound_file WHERE state = 'QUARANTINED' ORDER BY updated_at DESC LIMIT 50`,
  );
  return {
    queues: queueCounts,
    nights: [...byNight.values()],
    quarantined: quarantined.map((q) => ({ source: q.source, name: q.name, updatedAt: q.updated_at })),
  };
}
