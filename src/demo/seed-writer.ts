import type { Queryable } from './schema';
import type { TableLoad } from './seed-tables';

/** Buffers rows of one table and writes them as one unnest() INSERT per batch. */
export class BatchWriter<Row> {
  private rows: Row[] = [];
  private written = 0;

  constructor(
    private readonly db: Queryable,
    private readonly load: TableLoad<Row>,
    private readonly batchSize: number,
  ) {}

  get table(): string {
    return this.load.table;
  }

  get count(): number {
    return this.written + this.rows.length;
  }

  /** Buffers a row; true when the batch is full and should be flushed. */
  push(row: Row): boolean {
    this.rows.push(row);
    return this.rows.length >= this.batchSize;
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) {
      return;
    }
    const rows = this.rows;
    this.rows = [];
    await this.db.query(
      this.load.sql,
      this.load.columns.map((column) => rows.map(column)),
    );
    this.written += rows.length;
  }
}

/** Loads a stream of rows into one table. */
export async function writeAll<Row>(writer: BatchWriter<Row>, rows: Iterable<Row>): Promise<void> {
  for (const row of rows) {
    if (writer.push(row)) {
      await writer.flush();
    }
  }
  await writer.flush();
}

/**
 * Loads a stream of parents with their children (events with RSVPs, matches with stat lines),
 * always flushing parents first so foreign keys hold after every statement.
 */
export async function writeFamilies<Item, Parent, Child>(
  parents: BatchWriter<Parent>,
  children: BatchWriter<Child>,
  items: Iterable<Item>,
  split: (item: Item) => readonly [Parent, readonly Child[]],
): Promise<void> {
  for (const item of items) {
    const [parent, kids] = split(item);
    let full = parents.push(parent);
    for (const kid of kids) {
      full = children.push(kid) || full;
    }
    if (full) {
      await parents.flush();
      await children.flush();
    }
  }
  await parents.flush();
  await children.flush();
}
