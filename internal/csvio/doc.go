// Package csvio reads and writes PatentDesk's CSV files: the native formats, Google Patents and Espacenet exports.
//
// The package is a leaf: it knows nothing of the domain types, so that the
// importer, which owns validation and number normalization, decides what a
// record means. Readers return plain records, per-row errors with the line
// and column a user can find in a spreadsheet, and a fatal error only for a
// file that cannot be read at all.
//
// Every reader accepts UTF-8 with or without a byte-order mark, ',' or ';'
// between cells, and bytes that are not UTF-8 as Windows-1252. The formats:
//
//   - native: the header of CONTRACT.md first; dates YYYY-MM-DD;
//     lists joined with "|"; the "'" that the Writer puts before a formula
//     character is removed again.
//   - google: "search URL:,…" on line 1 (optional), then id, title, assignee,
//     inventor/author, priority date, filing/creation date, publication date,
//     grant date, result link. The id ("US-9254383-B2") is the number and gives
//     office and kind; names are split on commas (see Assignees); there is no
//     status, family or CPC.
//   - espacenet: a few lines about the search, then No, Title, Abstract,
//     Inventors, Applicants, Publication number, Earliest priority, IPC, CPC,
//     Publication date, Earliest publication, Family number. Cells hold one
//     value a line; the first publication number is the number and the others
//     are AlsoPublishedAs; the "[FR]" after names and the "(EP,US)" after CPC
//     symbols are dropped; dates may be dd.mm.yyyy.
package csvio
