/** Word lists for the demo world. Plain data; the generator decides how they combine. */

export interface City {
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
}

export interface Region {
  readonly name: string;
  /** Summer offset from UTC, so games start in the local morning. */
  readonly utcOffsetHours: number;
  readonly cities: readonly City[];
}

function city(name: string, latitude: number, longitude: number): City {
  return { name, latitude, longitude };
}

export const REGIONS: readonly Region[] = [
  {
    name: 'Pacific Northwest',
    utcOffsetHours: -7,
    cities: [
      city('Seattle', 47.61, -122.33),
      city('Portland', 45.52, -122.68),
      city('Tacoma', 47.25, -122.44),
      city('Spokane', 47.66, -117.43),
    ],
  },
  {
    name: 'Bay Area',
    utcOffsetHours: -7,
    cities: [
      city('San Jose', 37.34, -121.89),
      city('Oakland', 37.8, -122.27),
      city('Sacramento', 38.58, -121.49),
      city('Santa Rosa', 38.44, -122.71),
    ],
  },
  {
    name: 'Southern California',
    utcOffsetHours: -7,
    cities: [
      city('Los Angeles', 34.05, -118.24),
      city('San Diego', 32.72, -117.16),
      city('Riverside', 33.95, -117.4),
      city('Bakersfield', 35.37, -119.02),
    ],
  },
  {
    name: 'Mountain West',
    utcOffsetHours: -6,
    cities: [
      city('Denver', 39.74, -104.99),
      city('Salt Lake City', 40.76, -111.89),
      city('Boise', 43.62, -116.21),
      city('Albuquerque', 35.08, -106.65),
    ],
  },
  {
    name: 'Texas',
    utcOffsetHours: -5,
    cities: [
      city('Austin', 30.27, -97.74),
      city('Dallas', 32.78, -96.8),
      city('Houston', 29.76, -95.37),
      city('San Antonio', 29.42, -98.49),
    ],
  },
  {
    name: 'Midwest',
    utcOffsetHours: -5,
    cities: [
      city('Chicago', 41.88, -87.63),
      city('Minneapolis', 44.98, -93.27),
      city('Columbus', 39.96, -83.0),
      city('Milwaukee', 43.04, -87.91),
    ],
  },
  {
    name: 'Southeast',
    utcOffsetHours: -4,
    cities: [
      city('Atlanta', 33.75, -84.39),
      city('Orlando', 28.54, -81.38),
      city('Charlotte', 35.23, -80.84),
      city('Nashville', 36.16, -86.78),
    ],
  },
  {
    name: 'Northeast',
    utcOffsetHours: -4,
    cities: [
      city('Boston', 42.36, -71.06),
      city('Philadelphia', 39.95, -75.17),
      city('Hartford', 41.76, -72.67),
      city('Albany', 42.65, -73.76),
    ],
  },
];

export const FIELD_PREFIXES = [
  'Timberline', 'Splat Valley', 'Redline', 'Ironwood', 'Cedar Ridge', 'Black Rock', 'Foxhole',
  'Hollow Creek', 'Outpost', 'Stormfront', 'Pinecrest', 'Dust Devil', 'Badlands', 'Tac Zone',
  'Frontline', 'Bunker Hill', 'Canyon Run', 'Copperhead', 'Wildcat', 'Old Mill',
] as const;

export const FIELD_SUFFIXES = [
  'Paintball', 'Paintball Park', 'Paintball Arena', 'Tactical Park', 'Sports Complex', 'Battlegrounds',
] as const;

export const SQUAD_ADJECTIVES = [
  'Iron', 'Crimson', 'Midnight', 'Thunder', 'Northside', 'Rogue', 'Delta', 'Savage', 'Black Pine',
  'Red Rock', 'Static', 'Ghost', 'Blitz', 'Havoc', 'Lone Star', 'Harbor', 'Desert', 'Summit',
  'Granite', 'Vortex', 'Wild Card', 'Night Shift', 'Copper', 'Steel City', 'Backwoods',
] as const;

export const SQUAD_NOUNS = [
  'Wolves', 'Vipers', 'Ravens', 'Reapers', 'Outlaws', 'Hornets', 'Jackals', 'Rangers', 'Raiders',
  'Spartans', 'Legion', 'Syndicate', 'Marauders', 'Kodiaks', 'Coyotes', 'Falcons', 'Mavericks',
  'Phantoms', 'Rebels', 'Titans', 'Badgers', 'Sentinels', 'Nomads', 'Wardogs', 'Ironclads',
] as const;

export const SQUAD_DESCRIPTIONS = [
  'Competitive squad chasing regional tournament podiums.',
  'Weekend woodsball crew; we play rain or shine.',
  'Speedball team drilling fundamentals every week.',
  'Scenario-game regulars who never miss a big game.',
  'Casual squad, new players welcome.',
  'Former rec-ball players turned tournament grinders.',
  'Mechanical-marker enthusiasts and pump players.',
] as const;

export const CALLSIGN_FIRST = [
  'Iron', 'Ghost', 'Shadow', 'Rapid', 'Silent', 'Crimson', 'Neon', 'Frost', 'Storm', 'Dusty',
  'Lucky', 'Mad', 'Rusty', 'Sly', 'Grim', 'Brave', 'Cold', 'Dark', 'Swift', 'Wild',
  'Blue', 'Green', 'Golden', 'Silver', 'Quick', 'Lone', 'Night', 'Sonic', 'Turbo', 'Atomic',
  'Cosmic', 'Feral', 'Hyper', 'Jolly', 'Kinetic', 'Lunar', 'Mighty', 'Noble', 'Primal', 'Royal',
  'Savage', 'Tactical', 'Ultra', 'Vivid', 'Zero', 'Burnt', 'Chrome', 'Dire', 'Electric', 'Fierce',
  'Giant', 'Hidden', 'Infra', 'Jade', 'Karma', 'Lazy', 'Magma', 'Omega', 'Pixel', 'Quantum',
] as const;

export const CALLSIGN_SECOND = [
  'Hawk', 'Fox', 'Wolf', 'Viper', 'Raven', 'Cobra', 'Badger', 'Falcon', 'Mongoose', 'Panther',
  'Jackal', 'Otter', 'Moose', 'Bison', 'Lynx', 'Puma', 'Gecko', 'Mantis', 'Hornet', 'Scorpion',
  'Shark', 'Tiger', 'Rhino', 'Yeti', 'Kraken', 'Phoenix', 'Goblin', 'Ranger', 'Sniper', 'Runner',
  'Gunner', 'Ninja', 'Pilot', 'Rocket', 'Comet', 'Blaze', 'Bolt', 'Spark', 'Striker', 'Hunter',
  'Nomad', 'Ghoul', 'Wraith', 'Titan', 'Warden', 'Drifter', 'Outlaw', 'Bandit', 'Maverick', 'Specter',
  'Boomer', 'Coyote', 'Dingo', 'Ferret', 'Grizzly', 'Husky', 'Iguana', 'Kestrel', 'Marmot', 'Osprey',
] as const;

export const FIRST_NAMES = [
  'Alex', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Jamie', 'Avery', 'Drew', 'Quinn',
  'Sam', 'Chris', 'Pat', 'Robin', 'Dana', 'Kai', 'Reese', 'Skyler', 'Elliot', 'Rowan',
  'Maria', 'Luis', 'Priya', 'Wei', 'Aisha', 'Mateo', 'Hana', 'Omar', 'Sofia', 'Noah',
  'Emma', 'Liam', 'Olivia', 'Ethan', 'Mia', 'Lucas', 'Zoe', 'Ben', 'Chloe', 'Diego',
] as const;

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Garcia', 'Nguyen', 'Patel', 'Kim', 'Brown', 'Martinez', 'Lee', 'Walker',
  'Hall', 'Young', 'Allen', 'King', 'Wright', 'Lopez', 'Hill', 'Scott', 'Green', 'Adams',
  'Baker', 'Nelson', 'Carter', 'Mitchell', 'Perez', 'Roberts', 'Turner', 'Phillips', 'Campbell', 'Parker',
  'Evans', 'Edwards', 'Collins', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Reed', 'Bailey',
] as const;

export const TOURNAMENT_SERIES = [
  'Classic', 'Open', 'Showdown', 'Cup', 'Invitational', 'Challenge', 'Brawl', 'Clash',
] as const;

export const SCENARIO_CODENAMES = [
  'Overlord', 'Red Dawn', 'Iron Curtain', 'Nightfall', 'Black Anvil', 'Desert Fox', 'Broken Arrow',
  'Cold Harbor', 'Last Stand', 'Thunder Run', 'Sea Wolf', 'Market Garden',
] as const;

export const EVENT_NOTES = [
  'Field paint only.',
  'Chronograph at 280 fps before the first game.',
  'Gates open one hour before the start.',
  'Full-face masks on at all times outside the safe zone.',
  'Rental gear available at the pro shop.',
  'Bring water; the field has no shade.',
  'Check-in closes 30 minutes before the start.',
] as const;
