import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { listQuarantined } from '@dpb/persistence';
import { NightRepository } from './night.repository';

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
  const rows = await new NightRepository(ds.manager).lastNightsWithStages(nights);
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
  const quarantined = await listQuarantined(ds.manager, 50);
  return {
    queues: queueCounts,
    nights: [...byNight.values()],
    quarantined: quarantined.map((q) => ({ source: q.source, name: q.name, updatedAt: q.updated_at })),
  };
}
