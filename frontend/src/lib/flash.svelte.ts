/**
 * A short message for the next page, such as "You are signed out": shown once at the top
 * of the content after a page change, then forgotten.
 */
class Flash {
  message: string | null = $state(null);
  /** Navigation count at which the message was set; it stays for exactly that page. */
  at = -1;

  show(message: string, navigationCount: number): void {
    this.message = message;
    this.at = navigationCount;
  }
}

export const flash = new Flash();
