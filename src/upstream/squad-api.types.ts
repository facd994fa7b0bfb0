// Generated from contracts/squad-api.openapi.json by tools/contract-types.mjs; do not edit.
// After changing the contract, run `npm run contract:types`.

/** A player's profile. `email` is personal data. */
export interface Player {
  id: number;
  /** Unique handle. */
  callsign: string;
  display_name: string;
  /** Personal data. */
  email: string;
  region: string;
  /** The player's usual field, if any. */
  home_field_id: number | null;
  position: "front" | "mid" | "back" | "flex";
  skill_rating: number;
  created_at: string;
}

/** A team of players. */
export interface Squad {
  id: number;
  name: string;
  /** Short tag shown next to callsigns. */
  tag: string;
  region: string;
  home_field_id: number | null;
  captain_player_id: number | null;
  founded_on: string;
  is_recruiting: boolean;
  description: string | null;
  created_at: string;
}

/** One membership of a player in a squad; `left_at` is null while current. */
export interface SquadMember {
  squad_id: number;
  player_id: number;
  callsign: string;
  display_name: string;
  role: "captain" | "co_captain" | "member" | "recruit";
  joined_at: string;
  /** Null while the membership is current. */
  left_at: string | null;
}

/** A practice, scrimmage, tournament, open play day or scenario game at a field. */
export interface Event {
  id: number;
  title: string;
  kind: "practice" | "scrimmage" | "tournament" | "open_play" | "scenario_game";
  /** Null for events organised by the field. */
  organizer_squad_id: number | null;
  field_id: number;
  starts_at: string;
  ends_at: string;
  capacity: number;
  status: "scheduled" | "cancelled" | "completed";
  notes: string | null;
}

/** One player's stat line in a match. */
export interface MatchPlayerStat {
  match_id: number;
  player_id: number;
  /** The side the player played for. */
  squad_id: number;
  eliminations: number;
  times_eliminated: number;
  flag_captures: number;
}

/** A match between two squads. Scores are null while scheduled; scheduled and forfeited matches have no stat lines. */
export interface Match {
  id: number;
  /** Null for matches played outside an event. */
  event_id: number | null;
  field_id: number;
  played_at: string;
  /** e.g. `5-man race to 2`. */
  format: string;
  home_squad_id: number;
  away_squad_id: number;
  home_score: number | null;
  away_score: number | null;
  status: "scheduled" | "final" | "forfeit";
  /** Home side first, then by player id. */
  player_stats: MatchPlayerStat[];
}

/** Liveness of squad-api. */
export interface Health {
  status: string;
}

/** Error body for 401, 404 and 405. */
export interface Error {
  detail: string;
}

/** One invalid input. */
export interface ValidationError {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
}

/** Error body for 422. */
export interface HTTPValidationError {
  detail: ValidationError[];
}

/** Each contract schema's name with its type. */
export interface SquadApiResources {
  Player: Player;
  Squad: Squad;
  SquadMember: SquadMember;
  Event: Event;
  MatchPlayerStat: MatchPlayerStat;
  Match: Match;
  Health: Health;
  Error: Error;
  ValidationError: ValidationError;
  HTTPValidationError: HTTPValidationError;
}

/** The contract's component schemas (JSON Schema 2020-12), for checking squad-api's answers. */
export const SQUAD_API_SCHEMAS = {
  "Player": {
    "title": "Player",
    "description": "A player's profile. `email` is personal data.",
    "type": "object",
    "properties": {
      "id": {
        "type": "integer",
        "minimum": 1
      },
      "callsign": {
        "type": "string",
        "description": "Unique handle."
      },
      "display_name": {
        "type": "string"
      },
      "email": {
        "type": "string",
        "format": "email",
        "description": "Personal data."
      },
      "region": {
        "type": "string"
      },
      "home_field_id": {
        "type": [
          "integer",
          "null"
        ],
        "minimum": 1,
        "description": "The player's usual field, if any."
      },
      "position": {
        "type": "string",
        "enum": [
          "front",
          "mid",
          "back",
          "flex"
        ]
      },
      "skill_rating": {
        "type": "integer",
        "minimum": 0,
        "maximum": 3000
      },
      "created_at": {
        "type": "string",
        "format": "date-time"
      }
    },
    "required": [
      "id",
      "callsign",
      "display_name",
      "email",
      "region",
      "home_field_id",
      "position",
      "skill_rating",
      "created_at"
    ]
  },
  "Squad": {
    "title": "Squad",
    "description": "A team of players.",
    "type": "object",
    "properties": {
      "id": {
        "type": "integer",
        "minimum": 1
      },
      "name": {
        "type": "string"
      },
      "tag": {
        "type": "string",
        "description": "Short tag shown next to callsigns.",
        "minLength": 2,
        "maxLength": 5
      },
      "region": {
        "type": "string"
      },
      "home_field_id": {
        "type": [
          "integer",
          "null"
        ],
        "minimum": 1
      },
      "captain_player_id": {
        "type": [
          "integer",
          "null"
        ],
        "minimum": 1
      },
      "founded_on": {
        "type": "string",
        "format": "date"
      },
      "is_recruiting": {
        "type": "boolean"
      },
      "description": {
        "type": [
          "string",
          "null"
        ]
      },
      "created_at": {
        "type": "string",
        "format": "date-time"
      }
    },
    "required": [
      "id",
      "name",
      "tag",
      "region",
      "home_field_id",
      "captain_player_id",
      "founded_on",
      "is_recruiting",
      "description",
      "created_at"
    ]
  },
  "SquadMember": {
    "title": "SquadMember",
    "description": "One membership of a player in a squad; `left_at` is null while current.",
    "type": "object",
    "properties": {
      "squad_id": {
        "type": "integer",
        "minimum": 1
      },
      "player_id": {
        "type": "integer",
        "minimum": 1
      },
      "callsign": {
        "type": "string"
      },
      "display_name": {
        "type": "string"
      },
      "role": {
        "type": "string",
        "enum": [
          "captain",
          "co_captain",
          "member",
          "recruit"
        ]
      },
      "joined_at": {
        "type": "string",
        "format": "date-time"
      },
      "left_at": {
        "type": [
          "string",
          "null"
        ],
        "format": "date-time",
        "description": "Null while the membership is current."
      }
    },
    "required": [
      "squad_id",
      "player_id",
      "callsign",
      "display_name",
      "role",
      "joined_at",
      "left_at"
    ]
  },
  "Event": {
    "title": "Event",
    "description": "A practice, scrimmage, tournament, open play day or scenario game at a field.",
    "type": "object",
    "properties": {
      "id": {
        "type": "integer",
        "minimum": 1
      },
      "title": {
        "type": "string"
      },
      "kind": {
        "type": "string",
        "enum": [
          "practice",
          "scrimmage",
          "tournament",
          "open_play",
          "scenario_game"
        ]
      },
      "organizer_squad_id": {
        "type": [
          "integer",
          "null"
        ],
        "minimum": 1,
        "description": "Null for events organised by the field."
      },
      "field_id": {
        "type": "integer",
        "minimum": 1
      },
      "starts_at": {
        "type": "string",
        "format": "date-time"
      },
      "ends_at": {
        "type": "string",
        "format": "date-time"
      },
      "capacity": {
        "type": "integer",
        "minimum": 1
      },
      "status": {
        "type": "string",
        "enum": [
          "scheduled",
          "cancelled",
          "completed"
        ]
      },
      "notes": {
        "type": [
          "string",
          "null"
        ]
      }
    },
    "required": [
      "id",
      "title",
      "kind",
      "organizer_squad_id",
      "field_id",
      "starts_at",
      "ends_at",
      "capacity",
      "status",
      "notes"
    ]
  },
  "MatchPlayerStat": {
    "title": "MatchPlayerStat",
    "description": "One player's stat line in a match.",
    "type": "object",
    "properties": {
      "match_id": {
        "type": "integer",
        "minimum": 1
      },
      "player_id": {
        "type": "integer",
        "minimum": 1
      },
      "squad_id": {
        "type": "integer",
        "minimum": 1,
        "description": "The side the player played for."
      },
      "eliminations": {
        "type": "integer",
        "minimum": 0
      },
      "times_eliminated": {
        "type": "integer",
        "minimum": 0
      },
      "flag_captures": {
        "type": "integer",
        "minimum": 0
      }
    },
    "required": [
      "match_id",
      "player_id",
      "squad_id",
      "eliminations",
      "times_eliminated",
      "flag_captures"
    ]
  },
  "Match": {
    "title": "Match",
    "description": "A match between two squads. Scores are null while scheduled; scheduled and forfeited matches have no stat lines.",
    "type": "object",
    "properties": {
      "id": {
        "type": "integer",
        "minimum": 1
      },
      "event_id": {
        "type": [
          "integer",
          "null"
        ],
        "minimum": 1,
        "description": "Null for matches played outside an event."
      },
      "field_id": {
        "type": "integer",
        "minimum": 1
      },
      "played_at": {
        "type": "string",
        "format": "date-time"
      },
      "format": {
        "type": "string",
        "description": "e.g. `5-man race to 2`."
      },
      "home_squad_id": {
        "type": "integer",
        "minimum": 1
      },
      "away_squad_id": {
        "type": "integer",
        "minimum": 1
      },
      "home_score": {
        "type": [
          "integer",
          "null"
        ],
        "minimum": 0
      },
      "away_score": {
        "type": [
          "integer",
          "null"
        ],
        "minimum": 0
      },
      "status": {
        "type": "string",
        "enum": [
          "scheduled",
          "final",
          "forfeit"
        ]
      },
      "player_stats": {
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/MatchPlayerStat"
        },
        "description": "Home side first, then by player id."
      }
    },
    "required": [
      "id",
      "event_id",
      "field_id",
      "played_at",
      "format",
      "home_squad_id",
      "away_squad_id",
      "home_score",
      "away_score",
      "status",
      "player_stats"
    ]
  },
  "Health": {
    "title": "Health",
    "description": "Liveness of squad-api.",
    "type": "object",
    "properties": {
      "status": {
        "type": "string",
        "const": "ok"
      }
    },
    "required": [
      "status"
    ]
  },
  "Error": {
    "title": "Error",
    "description": "Error body for 401, 404 and 405.",
    "type": "object",
    "properties": {
      "detail": {
        "type": "string"
      }
    },
    "required": [
      "detail"
    ]
  },
  "ValidationError": {
    "title": "ValidationError",
    "description": "One invalid input.",
    "type": "object",
    "properties": {
      "type": {
        "type": "string"
      },
      "loc": {
        "type": "array",
        "items": {
          "type": [
            "string",
            "integer"
          ]
        }
      },
      "msg": {
        "type": "string"
      },
      "input": {}
    },
    "required": [
      "type",
      "loc",
      "msg"
    ]
  },
  "HTTPValidationError": {
    "title": "HTTPValidationError",
    "description": "Error body for 422.",
    "type": "object",
    "properties": {
      "detail": {
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/ValidationError"
        }
      }
    },
    "required": [
      "detail"
    ]
  }
} as const;
