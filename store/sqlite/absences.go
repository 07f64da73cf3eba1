package sqlite

import (
	"context"
	"database/sql"

	"forumbot/bot"
)

// SetAway implements bot.Store: it appends to the absence log.
func (db *DB) SetAway(ctx context.Context, who bot.Address, until bot.Date) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := db.exec(ctx, tx, `INSERT INTO absence_log (member, until, set_at) VALUES (?, ?, ?)`,
			string(who), until.String(), fmtTime(db.Now()))
		return err
	})
}

// Absences implements bot.Store.
func (db *DB) Absences(ctx context.Context) ([]bot.Absence, error) {
	rows, err := db.query(ctx, `SELECT member, until, set_at FROM absence_log ORDER BY set_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Absence
	for rows.Next() {
		var who, until, setAt string
		if err := rows.Scan(&who, &until, &setAt); err != nil {
			return nil, err
		}
		a := bot.Absence{Member: bot.Address(who)}
		if until != "" {
			if a.Until, err = bot.ParseDate(until); err != nil {
				return nil, err
			}
		}
		if a.SetAt, err = parseTime(setAt); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
