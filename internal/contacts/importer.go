package contacts

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/clock"
)

// ImportRow is one row of a CSV file: the contact it makes with its custom
// values by field id, or the reasons it is rejected (field → message).
type ImportRow struct {
	Line    int
	Contact *Contact
	Values  map[int64]string
	TagIDs  []int64 // tags the row adds to its contact
	Reasons apperr.FieldErrors
}

// ImportCounts are an import's figures so far.
type ImportCounts struct {
	Total     int `json:"total"`
	Processed int `json:"processed"`
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Rejected  int `json:"rejected"`
}

// ImportStore is what an import needs of storage. ImportBatch stores a
// batch in one transaction — a row whose phone, mobile or email matches a
// contact of the list (or an earlier row) updates that contact instead of
// creating one — and adds the batch to the import's counts, announcing
// progress when told to.
type ImportStore interface {
	ImportStarted(ctx context.Context, importID int64, total int) error
	ImportBatch(ctx context.Context, importID, listID int64, rows []ImportRow, announce bool) error
	ImportFinished(ctx context.Context, importID int64, failure *apperr.Message) error
}

// Import is one CSV import into a list.
type Import struct {
	ID        int64
	ListID    int64
	Header    bool     // the first record names the columns
	Comma     rune     // 0: guessed from the first line (',' or ';')
	Targets   []string // the field of each column; nil: from the header
	Fields    []Field  // the list's custom fields
	BatchRows int      // rows per transaction, fixed; 0: sized from the file and paced (see batchSizer)
	// Tags are the tags a "tags" column may name, by lowercase name.
	Tags map[string]int64
	// Clock paces the progress events and the batches' size.
	Clock clock.Clock
}

// progressPause is the least time between two progress events: each batch
// moves the bar, but a fast import does not flood the importer's browser.
const progressPause = 200 * time.Millisecond

// batchRows is how many rows one transaction stores. Each commit rewrites
// every index page the batch touched, and the phone, email and name
// indexes are touched all over, so at a million contacts a batch of 10,000
// rewrote most of those indexes per commit (SQLite: writing the WAL and
// checkpointing it were a fifth of the import's CPU). Larger batches
// rewrite them less often; the bound is how long one batch holds SQLite's
// single writer from the other writers (store.sqliteBusyWait, 10 s): a
// few seconds on a busy 2-core machine.
const batchRows = 25000

// minBatchRows is the smallest batch: below it the commits cost more than
// the rows.
const minBatchRows = 200

// batchTarget is how long one batch should hold SQLite's single writer:
// well under the 10 s other writers wait for it, on a loaded machine too.
const batchTarget = 3 * time.Second

// batchSizer chooses how many rows the next batch takes. A file is cut in
// about twenty batches (so even a few thousand rows move the progress bar
// several times), at most batchRows; a batch that held the writer longer
// than batchTarget makes the next ones smaller, and they grow back as the
// batches get quicker.
type batchSizer struct {
	largest int
	next    atomic.Int64
}

func newBatchSizer(total, fixed int) *batchSizer {
	b := &batchSizer{largest: fixed}
	if fixed <= 0 {
		b.largest = min(max(total/20, minBatchRows), batchRows)
	}
	b.next.Store(int64(b.largest))
	return b
}

// size is how many rows the next batch takes.
func (b *batchSizer) size() int { return int(b.next.Load()) }

// took adjusts the size to how long a batch of rows took to store.
func (b *batchSizer) took(rows int, d time.Duration) {
	n := rows
	switch {
	case d > batchTarget:
		n = int(float64(rows) * float64(batchTarget) / float64(d))
	case d < batchTarget/2:
		n = rows * 2
	}
	b.next.Store(int64(min(max(n, minBatchRows), b.largest)))
}

// Run imports a CSV file (UTF-8, with or without a byte-order mark): a
// first pass counts the records, the second turns them into contacts in
// batches, checking rows on one goroutine while the store writes on
// another. It reports the outcome to the store, failure included (why,
// as a message for the importer).
func (p Phones) Run(ctx context.Context, st ImportStore, im Import, file io.ReadSeeker) error {
	err := p.run(ctx, st, im, file)
	var failure *apperr.Message
	var ae *apperr.Error
	switch {
	case err == nil:
	case errors.As(err, &ae):
		failure = &ae.Message
	case ctx.Err() != nil:
		failure = &apperr.Message{Key: "import.interrupted"}
	default:
		failure = &apperr.Message{Key: "error.internal"}
	}
	if ferr := st.ImportFinished(context.WithoutCancel(ctx), im.ID, failure); ferr != nil && err == nil {
		err = ferr
	}
	return err
}

func (p Phones) run(ctx context.Context, st ImportStore, im Import, file io.ReadSeeker) error {
	if im.Clock == nil {
		im.Clock = clock.Real{}
	}
	r, err := newCSVReader(file, im.Comma)
	if err != nil {
		return err
	}
	total := 0
	for {
		_, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return csvError(err)
		}
		total++
	}
	if im.Header && total > 0 {
		total--
	}
	if err := st.ImportStarted(ctx, im.ID, total); err != nil {
		return err
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if r, err = newCSVReader(file, im.Comma); err != nil {
		return err
	}
	if im.Header {
		header, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(err)
		}
		if im.Targets == nil {
			im.Targets = AutoTargets(header, im.Fields)
		}
	}
	if err := CheckTargets(im.Targets, im.Fields); err != nil {
		return apperr.New(apperr.Invalid, "import.mapping")
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sizer := newBatchSizer(total, im.BatchRows)
	batches := make(chan []ImportRow, 2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- p.readBatches(ctx, r, im, sizer, batches)
	}()
	var announced time.Time // when the last batch announcing progress began (none yet)
	for batch := range batches {
		start := im.Clock.Now()
		announce := announced.IsZero() || start.Sub(announced) >= progressPause
		if err := st.ImportBatch(ctx, im.ID, im.ListID, batch, announce); err != nil {
			cancel()
			for range batches { // let the reader stop
			}
			return err
		}
		if announce {
			announced = start
		}
		if im.BatchRows <= 0 {
			sizer.took(len(batch), im.Clock.Now().Sub(start))
		}
	}
	return <-readErr
}

// readBatches turns records into rows and sends them in batches.
func (p Phones) readBatches(ctx context.Context, r *csv.Reader, im Import, sizer *batchSizer, out chan<- []ImportRow) error {
	batch := make([]ImportRow, 0, sizer.size())
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return csvError(err)
		}
		line, _ := r.FieldPos(0)
		batch = append(batch, p.importRow(line, rec, im))
		if len(batch) >= sizer.size() {
			select {
			case out <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = make([]ImportRow, 0, sizer.size())
		}
	}
	if len(batch) > 0 {
		select {
		case out <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// importRow checks one record as a new contact of the list.
func (p Phones) importRow(line int, rec []string, im Import) ImportRow {
	c := &Contact{ListID: im.ListID, Fields: map[string]any{}}
	values, err := p.Edit(c, RowInput(rec, im.Targets), im.Fields)
	tagIDs, badTags := rowTags(rec, im)
	if err != nil {
		var ae *apperr.Error
		if !errors.As(err, &ae) || len(ae.Fields) == 0 {
			return ImportRow{Line: line, Reasons: apperr.FieldErrors{"row": {Key: "error.invalid_input"}}}
		}
		reasons := apperr.FieldErrors(ae.Fields)
		if badTags != nil {
			reasons[TagsTarget] = *badTags
		}
		return ImportRow{Line: line, Reasons: reasons}
	}
	if badTags != nil {
		return ImportRow{Line: line, Reasons: apperr.FieldErrors{TagsTarget: *badTags}}
	}
	return ImportRow{Line: line, Contact: c, Values: values, TagIDs: tagIDs}
}

// TagsTarget is the import target of a column of tag names, separated by
// ';' or ','.
const TagsTarget = "tags"

// rowTags reads a record's tags column: the tags it names, each once, or
// why the row cannot be imported — a name that is no tag is refused rather
// than made up, as tags are an admin's catalog.
func rowTags(rec []string, im Import) ([]int64, *apperr.Message) {
	col := slices.Index(im.Targets, TagsTarget)
	if col < 0 || col >= len(rec) {
		return nil, nil
	}
	var ids []int64
	for _, name := range strings.FieldsFunc(rec[col], func(r rune) bool { return r == ';' || r == ',' }) {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		id, ok := im.Tags[strings.ToLower(name)]
		if !ok {
			return nil, &apperr.Message{Key: "import.tag_unknown", Args: []any{shortKey(name)}}
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) > MaxTags {
		return nil, &apperr.Message{Key: "field.too_many", Args: []any{MaxTags}}
	}
	return ids, nil
}

// newCSVReader reads a CSV file after its byte-order mark, with the
// separator given or guessed from the first line (the one of ',' and ';'
// it has more of: spreadsheets in many languages write ';').
func newCSVReader(file io.Reader, comma rune) (*csv.Reader, error) {
	br := bufio.NewReaderSize(file, 1<<16)
	if b, err := br.Peek(3); err == nil && string(b) == "\xEF\xBB\xBF" {
		_, _ = br.Discard(3)
	}
	if comma == 0 {
		first, _ := br.Peek(4096)
		line, _, _ := strings.Cut(string(first), "\n")
		comma = ','
		if strings.Count(line, ";") > strings.Count(line, ",") {
			comma = ';'
		}
	}
	r := csv.NewReader(br)
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	r.LazyQuotes = true
	return r, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return apperr.New(apperr.Invalid, "import.bad_csv", pe.Line)
	}
	return err
}

// ReadHeader reads the first record of a CSV file (its column names).
func ReadHeader(file io.Reader, comma rune) ([]string, error) {
	r, err := newCSVReader(file, comma)
	if err != nil {
		return nil, err
	}
	rec, err := r.Read()
	if err != nil {
		return nil, csvError(err)
	}
	return append([]string(nil), rec...), nil
}
