/** Where the app's MongoDB comes from (DESIGN.md, "Data"), in the order they are tried. */
export type EngineKind = 'uri' | 'mongod' | 'embedded';

export interface DatabaseEngine {
  kind: EngineKind;
  /** A connection string without a database name, unless MONGODB_URI gave one. */
  uri: string;
  /** One line for the boot log: which engine, where, with what storage. */
  description: string;
  /** The engine's latest process, when this app started one. */
  readonly pid?: number;
  /**
   * True while the engine this app started is known to be dead: crashed and not started again
   * yet, given up on, or stopped. Always false for a MongoDB the app did not start (MONGODB_URI):
   * only the driver can tell about that one.
   */
  isDown(): boolean;
  /** Stops the process this app started (for good); a no-op for an external MongoDB. */
  stop(): Promise<void>;
}

export const DATABASE_ENGINE = Symbol('DATABASE_ENGINE');

export interface EngineChoiceInput {
  uri?: string;
  mongodPath?: string;
}

/** 1. MONGODB_URI, 2. a `mongod` on PATH, 3. the embedded engine. */
export function chooseEngine({ uri, mongodPath }: EngineChoiceInput): EngineKind {
  if (uri) {
    return 'uri';
  }
  if (mongodPath) {
    return 'mongod';
  }
  return 'embedded';
}
