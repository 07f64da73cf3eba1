package sqlite

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store"
)

// The chain hashes the values addUpdateTx binds, not the row read back:
// each must be what SQLite stores, or verify would report the row as
// changed. Every kind of value a column can hold is stored here and read
// back.
func TestChainedUpdateIsTheStoredRow(t *testing.T) {
	ctx := context.Background()
	db := NewDB(filepath.Join(t.TempDir(), "f.db"))
	r := openWithRound(t, db)
	at := time.Date(2026, 11, 3, 10, 4, 5, 123456789, time.FixedZone("Lima", -5*3600))
	base := bot.Update{ForumID: r.ForumID, Period: r.Period, RoundID: r.ID, CommitmentID: "C1", Member: "local:ana",
		Group: bot.Government, Organisation: "Municipalidad", Completion: bot.Limited, Source: bot.SourceForm, SubmittedAt: at}
	full := base
	full.Member, full.Group, full.Organisation = "slack:U1", bot.CivilSociety, "Asociación «Ñandú»"
	full.Progress, full.Blockers, full.NextSteps, full.Note = "Ata publicada.\nSegunda línea", "Sem orçamento", "Reunião em março", "nota 😀"
	full.Evidence, full.Needs, full.MilestonesDone = []string{"https://a.example/1", "https://a.example/2"}, []bot.Need{bot.NeedResources, bot.NeedPoliticalSupport}, []string{"M1", "M3"}
	full.Completion, full.Source, full.Correction, full.EventID = bot.Complete, bot.SourceThread, true, "evt-1"
	second := full
	second.EventID = "evt-2"
	for name, u := range map[string]bot.Update{"empty": base, "full": full, "second version": second} {
		stored, added, err := db.AddUpdate(ctx, u)
		if err != nil || !added {
			t.Fatalf("%s: AddUpdate = %v, %v", name, added, err)
		}
		want := chainedUpdate(u)
		want[updateIDColumn], want[updateVersionColumn] = stored.ID, int64(stored.Version)
		got, err := scanValues(db.queryRow(ctx, rowQuery("updates"), stored.ID), len(store.ChainedColumns["updates"]))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: bound and hashed\n%#v\nstored\n%#v", name, want, got)
		}
	}
	rep, err := db.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Breaks) != 0 || len(rep.Forums) != 1 || rep.Forums[0].Entries != 3 {
		t.Errorf("Verify = %+v, want one forum of 3 entries and no break", rep)
	}
}
