package httpapi

import (
	"encoding/csv"
	"errors"
	"net/http"
)

// writeCSV sends rows as a UTF-8 CSV download. The byte-order mark lets
// spreadsheet programs read accented names correctly.
func writeCSV(w http.ResponseWriter, filename string, rows [][]string) error {
	cw, err := startCSV(w, filename)
	if err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// startCSV starts a CSV download (headers and byte-order mark) and returns
// the writer for its rows, for an export too large to build in memory.
func startCSV(w http.ResponseWriter, filename string) (*csv.Writer, error) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	if _, err := w.Write([]byte("\xEF\xBB\xBF")); err != nil {
		return nil, err
	}
	return csv.NewWriter(w), nil
}

func asMaxBytes(err error, target **http.MaxBytesError) bool { return errors.As(err, target) }
