package httpapi

import (
	"encoding/csv"
	"errors"
	"net/http"
)

// writeCSV sends rows as a UTF-8 CSV download. The byte-order mark lets
// spreadsheet programs read accented names correctly.
func writeCSV(w http.ResponseWriter, filename string, rows [][]string) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	if _, err := w.Write([]byte("\xEF\xBB\xBF")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

func asMaxBytes(err error, target **http.MaxBytesError) bool { return errors.As(err, target) }
