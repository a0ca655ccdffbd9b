package contacts

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

// ImportRow is one row of a CSV file: the contact it makes with its custom
// values by field id, or the reasons it is rejected (field → message).
type ImportRow struct {
	Line    int
	Contact *Contact
	Values  map[int64]string
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
	BatchRows int      // rows per transaction; 0: progressEvery
}

// progressEvery is how many rows pass between two progress events.
const progressEvery = 10000

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
	if im.BatchRows <= 0 {
		im.BatchRows = progressEvery
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
	batches := make(chan []ImportRow, 2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- p.readBatches(ctx, r, im, batches)
	}()
	done := 0
	for batch := range batches {
		done += len(batch)
		announce := done/progressEvery != (done-len(batch))/progressEvery
		if err := st.ImportBatch(ctx, im.ID, im.ListID, batch, announce); err != nil {
			cancel()
			for range batches { // let the reader stop
			}
			return err
		}
	}
	return <-readErr
}

// readBatches turns records into rows and sends them in batches.
func (p Phones) readBatches(ctx context.Context, r *csv.Reader, im Import, out chan<- []ImportRow) error {
	batch := make([]ImportRow, 0, im.BatchRows)
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
		if len(batch) == im.BatchRows {
			select {
			case out <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = make([]ImportRow, 0, im.BatchRows)
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
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) && len(ae.Fields) > 0 {
			return ImportRow{Line: line, Reasons: apperr.FieldErrors(ae.Fields)}
		}
		return ImportRow{Line: line, Reasons: apperr.FieldErrors{"row": {Key: "error.invalid_input"}}}
	}
	return ImportRow{Line: line, Contact: c, Values: values}
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
