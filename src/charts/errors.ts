/** Too little data to draw a chart: the message is user-facing (already translated). */
export class ChartDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChartDataError';
  }
}
