//! The AWS CLI v1's table layout (`MultiTable` in `awscli/table.py`):
//! sections of a title, column headers and rows, all as wide as the widest
//! section, columns scaled to fill that width; single-row sections turned
//! into `header | value` rows when the table is wider than the terminal; and
//! colour as the AWS CLI writes it through colorama.
//!
//! Widths are signed, as in Python: a text wider than its cell makes the
//! arithmetic go negative, and `' ' * -n` is empty.

use crate::width::text_width;

/// Every cell gets two spaces on each side of its widest text.
const PADDING: i64 = 4;
const RESET: &str = "\x1b[0m";

/// How the table is drawn: plain, or coloured as with `--color on`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Style {
    Plain,
    /// Row values bright blue, nested-section bars dim yellow, and colorama's
    /// `autoreset`: every write the AWS CLI makes to stdout is followed by a
    /// reset sequence, so the exact bytes depend on how it splits its writes.
    Colored,
}

impl Style {
    fn row_element(self, text: &str) -> String {
        match self {
            Style::Plain => text.to_owned(),
            Style::Colored => format!("\x1b[1m\x1b[34m{text}{RESET}"),
        }
    }

    fn indentation_bar(self) -> &'static str {
        match self {
            Style::Plain => "|",
            Style::Colored => "\x1b[2m\x1b[33m|\x1b[0m",
        }
    }
}

/// One section: a title line, maybe column headers, rows.
#[derive(Debug)]
struct Section {
    /// `None` is Python's `None` title (a nested list without a key): not
    /// printed, but `str(None)` still counts 4 columns toward the width.
    title: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    columns: Option<usize>,
    max_widths: Vec<usize>,
}

impl Section {
    fn new(title: Option<String>, indent: usize) -> Self {
        Section {
            title,
            headers: Vec::new(),
            rows: Vec::new(),
            indent,
            columns: None,
            max_widths: Vec::new(),
        }
    }

    fn add_header(&mut self, headers: Vec<String>) -> Result<(), String> {
        self.update_max_widths(&headers)?;
        self.columns.get_or_insert(headers.len());
        self.headers = headers;
        Ok(())
    }

    fn add_row(&mut self, row: Vec<String>) -> Result<(), String> {
        let columns = *self.columns.get_or_insert(row.len());
        if row.len() != columns {
            return Err(format!(
                "Row should have {columns} elements, instead it has {}",
                row.len()
            ));
        }
        self.update_max_widths(&row)?;
        self.rows.push(row);
        Ok(())
    }

    fn update_max_widths(&mut self, row: &[String]) -> Result<(), String> {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|cell| text_width(cell)).collect();
            return Ok(());
        }
        for (i, cell) in row.iter().enumerate() {
            let width = self.max_widths.get_mut(i).ok_or("list index out of range")?;
            *width = (*width).max(text_width(cell));
        }
        Ok(())
    }

    fn title_width(&self) -> i64 {
        self.title.as_deref().map_or(4, text_width) as i64
    }

    /// The section's width with borders and the bars of its nesting.
    fn total_width(&self) -> i64 {
        let sides = 2 + 2 * self.indent as i64;
        let cells: i64 = self.max_widths.iter().map(|&w| w as i64 + PADDING).sum();
        (self.title_width() + sides).max(cells + sides)
    }

    /// The padded column widths scaled to add up to `max_width`: rounded
    /// half to even (Python's `round`), then the surplus taken from the first
    /// columns or the shortfall given to the last ones.
    fn column_widths(&self, max_width: i64) -> Vec<i64> {
        let unscaled: Vec<i64> = self.max_widths.iter().map(|&w| w as i64 + PADDING).collect();
        if unscaled.is_empty() {
            return unscaled;
        }
        let scale = max_width as f64 / unscaled.iter().sum::<i64>() as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|&w| (scale * w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by = scaled.iter().sum::<i64>() - max_width;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled
    }

    /// A single row under headers, as `header | value` rows instead.
    fn vertical(&self) -> Section {
        let mut section = Section::new(self.title.clone(), self.indent);
        section.columns = Some(2);
        if let Some(row) = self.rows.first() {
            for (header, cell) in self.headers.iter().zip(row) {
                let widths = [text_width(header), text_width(cell)];
                if section.max_widths.is_empty() {
                    section.max_widths = widths.to_vec();
                } else {
                    for (max, width) in section.max_widths.iter_mut().zip(widths) {
                        *max = (*max).max(width);
                    }
                }
                section.rows.push(vec![header.clone(), cell.clone()]);
            }
        }
        section
    }
}

/// A table being built: sections in order, rows going to the last one.
#[derive(Debug)]
pub struct Table {
    sections: Vec<Section>,
    terminal_width: i64,
}

impl Table {
    /// An empty table for a terminal `terminal_width` columns wide.
    pub fn new(terminal_width: i64) -> Self {
        Table {
            sections: Vec::new(),
            terminal_width,
        }
    }

    pub fn new_section(&mut self, title: Option<&str>, indent: usize) {
        self.sections.push(Section::new(title.map(str::to_owned), indent));
    }

    pub fn add_row_header(&mut self, headers: Vec<String>) -> Result<(), String> {
        self.current()?.add_header(headers)
    }

    pub fn add_row(&mut self, row: Vec<String>) -> Result<(), String> {
        self.current()?.add_row(row)
    }

    fn current(&mut self) -> Result<&mut Section, String> {
        self.sections
            .last_mut()
            .ok_or_else(|| "no table section to add to".to_owned())
    }

    fn max_width(&self) -> i64 {
        self.sections.iter().map(Section::total_width).max().unwrap_or(0)
    }

    /// The table as the AWS CLI prints it.
    pub fn render(mut self, style: Style) -> String {
        let mut max_width = self.max_width();
        if max_width > self.terminal_width {
            for section in &mut self.sections {
                if section.rows.len() == 1 && !section.headers.is_empty() {
                    *section = section.vertical();
                }
            }
            max_width = self.max_width();
        }
        let mut out = Stream {
            text: String::new(),
            autoreset: style == Style::Colored,
        };
        out.write(&format!("{}\n", repeat('-', max_width)));
        for section in &self.sections {
            render_section(section, max_width, style, &mut out);
        }
        out.text
    }
}

/// Stdout as the AWS CLI writes to it: with colour, colorama's `autoreset`
/// follows every single write with a reset.
struct Stream {
    text: String,
    autoreset: bool,
}

impl Stream {
    fn write(&mut self, text: &str) {
        self.text.push_str(text);
        if self.autoreset {
            self.text.push_str(RESET);
        }
    }

    /// A line of a nested section: the bars of its nesting on each side, in
    /// the four writes of awscli's `IndentedStream`.
    fn line(&mut self, bars: &str, text: &str) {
        self.write(bars);
        self.write(text);
        self.write(bars);
        self.write("\n");
    }
}

fn render_section(section: &Section, max_width: i64, style: Style, out: &mut Stream) {
    let bars = style.indentation_bar().repeat(section.indent);
    let width = max_width - 2 * section.indent as i64;
    if let Some(title) = section.title.as_deref().filter(|t| !t.is_empty()) {
        out.line(&bars, &center(title, width, "|", text_width(title)));
        if section.headers.is_empty() && section.rows.is_empty() {
            out.line(&bars, &format!("+{}+", repeat('-', width - 2)));
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(width);
        let mut cells = String::new();
        for (i, (&cell_width, header)) in widths.iter().zip(&section.headers).enumerate() {
            let left = if i == 0 { "|" } else { "" };
            cells.push_str(&center(header, cell_width, left, text_width(header)));
        }
        out.line(&bars, &line_break(&widths));
        out.line(&bars, &cells);
    }
    if !section.rows.is_empty() {
        let widths = section.column_widths(width);
        if widths.is_empty() {
            return;
        }
        out.line(&bars, &line_break(&widths));
        for row in &section.rows {
            let mut cells = String::new();
            for (i, (&cell_width, cell)) in widths.iter().zip(row).enumerate() {
                let left = if i == 0 { "|" } else { "" };
                cells.push_str(&align_left(
                    &style.row_element(cell),
                    cell_width,
                    left,
                    text_width(cell),
                ));
            }
            out.line(&bars, &cells);
        }
        out.line(&bars, &line_break(&widths));
    }
}

/// `c` repeated `n` times, nothing when `n` is negative (Python's `c * n`).
fn repeat(c: char, n: i64) -> String {
    std::iter::repeat_n(c, usize::try_from(n).unwrap_or(0)).collect()
}

/// `text` (`text_width` columns, colour codes aside) centred in a cell of
/// `length` columns between `left` and a right `|`; `awscli.table.center_text`.
fn center(text: &str, length: i64, left: &str, text_width: usize) -> String {
    let text_width = text_width as i64;
    let start = length.div_euclid(2) - text_width.div_euclid(2) - 1;
    let so_far = left.len() as i64 + start + text_width;
    let right_spaces = length - 1 - so_far;
    format!("{left}{}{text}{}|", repeat(' ', start), repeat(' ', right_spaces))
}

/// `text` two spaces in from `left` (none when it does not fit), padded to
/// `length` columns with a right `|`; `awscli.table.align_left`.
fn align_left(text: &str, length: i64, left: &str, text_width: usize) -> String {
    let text_width = text_width as i64;
    let edges = left.len() as i64 + 1;
    let padding = if length - (text_width + 2 + edges) >= 0 { 2 } else { 0 };
    let so_far = left.len() as i64 + padding + text_width;
    format!(
        "{left}{}{text}{}|",
        repeat(' ', padding),
        repeat(' ', length - so_far - 1)
    )
}

/// `+-----+------+`: the border between header, rows and the next section.
fn line_break(widths: &[i64]) -> String {
    let mut line = String::new();
    for (i, &width) in widths.iter().enumerate() {
        if i == 0 {
            line.push('+');
            line.push_str(&repeat('-', width - 2));
        } else {
            line.push_str(&repeat('-', width - 1));
        }
        line.push('+');
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|&c| c.to_owned()).collect()
    }

    #[test]
    fn cells_pad_and_center_as_awscli() {
        // awscli.table.center_text / align_left in the awscli 1.46.3 venv.
        assert_eq!(center("ListFlowOperations", 20, "|", 18), "|ListFlowOperations|");
        assert_eq!(
            center("FlowOperationId", 39, "|", 15),
            "|           FlowOperationId           |"
        );
        assert_eq!(center("FlowOperationType", 20, "", 17), " FlowOperationType |");
        assert_eq!(align_left("COMPLETED", 24, "", 9), "  COMPLETED            |");
        // No room for the two spaces: none at all.
        assert_eq!(align_left("NextToken", 11, "|", 9), "|NextToken|");
        // Too wide for its cell: no padding, and no room left on the right.
        assert_eq!(align_left("abcdef", 6, "|", 6), "|abcdef|");
        assert_eq!(
            line_break(&[39, 24, 20]),
            "+-------------------------------------+-----------------------+-------------------+"
        );
    }

    #[test]
    fn columns_scale_to_the_table_width_rounding_half_to_even() {
        // FlowOperations of the interop-small firewall at indent 1 in a
        // 114-column table: `calculate_column_widths(4, 112)`.
        let mut section = Section::new(Some("FlowOperations".into()), 1);
        section
            .add_header(strings(&[
                "FlowOperationId",
                "FlowOperationStatus",
                "FlowOperationType",
                "FlowRequestTimestamp",
            ]))
            .expect("headers");
        section
            .add_row(strings(&[
                "dd14142a-4f98-4c53-a9e0-b6707a3f1b76",
                "COMPLETED_WITH_ERRORS",
                "FLOW_FLUSH",
                "1733310000.75",
            ]))
            .expect("row");
        assert_eq!(section.total_width(), 114);
        assert_eq!(section.column_widths(112), vec![41, 25, 21, 25]);
        // 2.5 rounds to 2 and 3.5 to 4 (half to even); the sum is then fixed up.
        let mut halves = Section::new(None, 0);
        halves.add_row(strings(&["a", "abc"])).expect("row");
        assert_eq!(halves.column_widths(6), vec![2, 4]);
        assert!(halves.add_row(strings(&["x"])).is_err(), "a row of the wrong length");
    }
}
