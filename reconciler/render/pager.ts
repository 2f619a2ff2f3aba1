/**
 * The one bounded writer of the plan's Markdown (a plan and a plan set): lines are laid out
 * in pull-request comments of at most a limit each. What must be read (every loss of access,
 * every high-risk change, every rail) is never dropped: when it does not fit, the comment
 * ends and a continuation comment starts, repeating the heading of the section it is in.
 * What may be summarised (low-risk gains, warnings, history, the YAML diff) goes in while it
 * fits and is counted otherwise.
 */

/** COMMENT_MARKER_PREFIX starts the first line of every comment: `<!-- antryk-access comment N/M -->`. */
export const COMMENT_MARKER_PREFIX = "<!-- antryk-access comment ";

/** commentMarker is the first line of comment `n` of `total` (the CI scripts post and update comments keyed by it). */
export function commentMarker(n: number, total: number): string {
  return `${COMMENT_MARKER_PREFIX}${n}/${total} -->`;
}

/** MARKER_ROOM is what a marker line takes at most (up to 99,999 comments). */
const MARKER_ROOM = commentMarker(99_999, 99_999).length + 1;
/** TAIL_ROOM keeps room at the end of each comment for the line pointing to the next one. */
const TAIL_ROOM = 120;

/** Pager lays lines out in comments of at most `limit` characters (markers included); see the file comment. */
export class Pager {
  private readonly pages: string[][] = [[]];
  private size = MARKER_ROOM;
  private section: string[] | null = null;
  private optionalFull = false;

  /** reserve is room kept free of optional lines in the last comment for its closing notice. */
  constructor(
    private readonly limit: number,
    private readonly reserve: number,
  ) {}

  private get page(): string[] {
    return this.pages[this.pages.length - 1]!;
  }

  private measure(lines: readonly string[]): number {
    return lines.reduce((n, l) => n + l.length + 1, 0);
  }

  private push(lines: readonly string[]): void {
    for (const l of lines) this.page.push(l);
    this.size += this.measure(lines);
  }

  private newPage(): void {
    this.pages.push([]);
    this.size = MARKER_ROOM;
    if (this.section !== null) this.push(this.section);
  }

  /** begin opens a section: its heading lines are written now (as must lines) and `continued` heads each comment it continues in. */
  begin(heading: readonly string[], continued: readonly string[]): void {
    this.section = null;
    this.must(...heading);
    this.section = [...continued];
  }

  /** end closes the open section (nothing is repeated any more). */
  end(): void {
    this.section = null;
  }

  /** must writes lines that are never dropped, together in one comment: a new comment starts when they do not fit in this one. */
  must(...lines: string[]): void {
    const need = this.measure(lines);
    if (this.page.length > 0 && this.size + need > this.limit - TAIL_ROOM) this.newPage();
    this.push(lines);
  }

  /** fitsOptional tells whether `may(...lines)` would write them (it sets nothing). */
  fitsOptional(lines: readonly string[]): boolean {
    return !this.optionalFull && this.size + this.measure(lines) <= this.limit - TAIL_ROOM - this.reserve;
  }

  /** may writes lines if they fit in this comment (keeping the reserve); once something did not fit, no optional line is added any more (the cut is contiguous). */
  may(...lines: string[]): boolean {
    if (!this.fitsOptional(lines)) {
      this.optionalFull = true;
      return false;
    }
    this.push(lines);
    return true;
  }

  /** isFull tells whether an optional line has been cut (no optional line will be added). */
  get isFull(): boolean {
    return this.optionalFull;
  }

  /** force writes lines regardless of the reserve (closing an open `<details>`, within TAIL_ROOM). */
  force(...lines: string[]): void {
    this.push(lines);
  }

  /** lines is everything written so far, comment after comment, without markers (for a part another comment embeds). */
  lines(): string[] {
    return this.pages.flat();
  }

  /**
   * finish returns the comments, each starting with its marker line and ending with a
   * newline; every comment but the last ends by pointing to the next one. `notice` (what was
   * cut) closes the last comment, in a new one when it does not fit.
   */
  finish(notice: string | null): string[] {
    if (notice !== null) {
      if (this.size + notice.length + 1 > this.limit - TAIL_ROOM) {
        this.section = null;
        this.newPage();
      }
      this.push([notice]);
    }
    const total = this.pages.length;
    return this.pages.map((lines, i) => {
      const tail = i + 1 < total ? ["", `_Continued in comment ${i + 2} of ${total}._`] : [];
      const body = [...lines, ...tail].join("\n").trimEnd();
      const text = `${commentMarker(i + 1, total)}\n${body}\n`;
      return text.length <= this.limit ? text : `${text.slice(0, this.limit - 1)}\n`;
    });
  }
}

/** splitComments splits what `plan --format markdown` printed back into its comments (each starting with its marker line). */
export function splitComments(text: string): string[] {
  const starts = [...text.matchAll(/^<!-- antryk-access comment \d+\/\d+ -->$/gm)].map((m) => m.index);
  if (starts.length === 0) return text === "" ? [] : [text];
  return starts.map((s, i) => text.slice(s, starts[i + 1] ?? text.length));
}
