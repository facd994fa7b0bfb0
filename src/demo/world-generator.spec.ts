import { createHash } from 'node:crypto';

import { defaultAnchor, DemoWorld } from './world-generator';

const NOW = new Date('2025-06-01T12:00:00.000Z');

function fingerprint(world: DemoWorld): string {
  const hash = createHash('sha256');
  const streams: Iterable<unknown>[] = [
    world.fields(),
    world.players(),
    world.squads(),
    world.squadMembers(),
    world.eventsWithRsvps(),
    world.matchesWithStats(),
  ];
  for (const stream of streams) {
    for (const row of stream) {
      hash.update(JSON.stringify(row));
    }
  }
  return hash.digest('hex');
}

describe('DemoWorld', () => {
  it('yields identical rows for identical inputs', () => {
    expect(fingerprint(new DemoWorld({ now: NOW }))).toBe(fingerprint(new DemoWorld({ now: NOW })));
  });

  it('yields a different world for another seed', () => {
    expect(fingerprint(new DemoWorld({ now: NOW, seed: 7 }))).not.toBe(fingerprint(new DemoWorld({ now: NOW })));
  });

  it('anchors by default on today at 12:00 UTC', () => {
    expect(defaultAnchor(new Date('2025-03-04T23:59:59.999Z')).toISOString()).toBe('2025-03-04T12:00:00.000Z');
    expect(defaultAnchor(new Date('2025-03-04T00:00:00.000Z')).toISOString()).toBe('2025-03-04T12:00:00.000Z');
    expect(new DemoWorld().now.getTime()).toBe(defaultAnchor().getTime());
  });

  it('multiplies every count by the scale', () => {
    const world = new DemoWorld({ now: NOW, scale: 3 });
    expect([...world.fields()]).toHaveLength(90);
    expect([...world.squads()]).toHaveLength(120);
    expect([...world.players()]).toHaveLength(1800);
    expect([...world.eventsWithRsvps()]).toHaveLength(900);
    expect([...world.matchesWithStats()]).toHaveLength(2400);
  });

  it('gives every player a unique callsign and a matching example.test email', () => {
    const players = [...new DemoWorld({ now: NOW, scale: 7 }).players()];
    expect(new Set(players.map((p) => p.callsign.toLowerCase())).size).toBe(players.length);
    for (const player of players) {
      expect(player.email).toBe(`${player.callsign.toLowerCase()}@example.test`);
      expect(player.skill_rating).toBeGreaterThanOrEqual(0);
      expect(player.skill_rating).toBeLessThanOrEqual(3000);
    }
  });

  it('keeps squad tags between 2 and 5 characters at the largest scale', () => {
    const tags = [...new DemoWorld({ now: NOW, scale: 1000 }).squads()].map((squad) => squad.tag);
    expect(tags).toHaveLength(40_000);
    expect(tags.every((tag) => tag.length >= 2 && tag.length <= 5)).toBe(true);
  });

  it('rejects a scale that is not a whole number from 1 to 1000', () => {
    expect(() => new DemoWorld({ scale: 0 })).toThrow(RangeError);
    expect(() => new DemoWorld({ scale: 1.5 })).toThrow(RangeError);
    expect(() => new DemoWorld({ scale: 1001 })).toThrow(RangeError);
  });
});
