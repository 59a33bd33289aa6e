/** One stored daily close (or monthly M2 value) and where it came from: what market/ writes and store/ keeps. */
export interface CloseRow {
  readonly date: string;
  readonly close: number;
  readonly source: string;
}
