package main

import (
	"context"
	"fmt"
	"time"

	"forumbot/bot"
)

// Members of the example forum who play a part in the demo.
const (
	maria   = "slack:U0GOV0101"           // Provincial Information Office: COT0001, COT0002
	ana     = "discord:80351110224678912" // South Cotabato Press Club: COT0001
	ramon   = "slack:U0CSO0102"           // Notre Dame of Marbel University: COT0001, COT0005
	liza    = "slack:U0GOV0201"           // Provincial Budget Office: COT0002
	grace   = "slack:U0CSO0202"           // Balay Mindanaw: COT0002
	rodel   = "slack:U0GOV0301"           // Bids and Awards Committee: COT0003
	carmela = "slack:U0GOV0302"           // Provincial Engineering Office: COT0003
	pedro   = "slack:U0CSO0301"           // Procurement Watch: COT0003
	ernesto = "slack:U0GOV0401"           // Environment Office: COT0004
	mila    = "discord:80351110224678915" // T'boli Tribal Council: COT0004
	vicente = "slack:U0GOV0501"           // Provincial Board Secretariat: COT0005
	coord   = "slack:U0COORD01"
	mayor   = "slack:U0GOVNR01"
)

func (d *demo) run(ctx context.Context) error {
	fmt.Fprintf(d.out, "forumbot demo: one reporting month of the %s\n", d.forum.Name)
	fmt.Fprintf(d.out, "(embedded configs/example.yaml; local chat instead of Slack and Discord; simulated clock, %s)\n\n", d.forum.Location)
	steps := []func(context.Context) error{d.october, d.november}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	if len(d.digests) == 0 {
		return fmt.Errorf("demo: no digest was posted")
	}
	last := d.digests[len(d.digests)-1]
	fmt.Fprintf(d.out, "\nThe digest as posted to %s (Slack renders it as Block Kit, Discord as embeds):\n\n", last.To)
	fmt.Fprintln(d.out, indent(bot.RenderText(last.Message), "    │ "))
	return nil
}

// october plays last month quickly and quietly, so that November's digest
// has history: change since last period, carried blockers, stale status.
func (d *demo) october(ctx context.Context) error {
	d.quiet = true
	defer func() { d.quiet = false }()
	script := []func() error{
		func() error { return d.at(ctx, 1, 9, 0, time.October) },
		func() error {
			return d.answer(ctx, maria, "COT0001", form("Limited", "FOI manual translated into Hiligaynon; T'boli version in review.", bot.FieldMilestones, "M1,M2"))
		},
		func() error {
			return d.answer(ctx, ana, "COT0001", form("Limited", "Press Club tested the FOI desk in Koronadal: two of five requests answered on time."))
		},
		func() error {
			return d.answer(ctx, liza, "COT0002", form("Limited", "Youth priorities collected in 10 municipalities.",
				bot.FieldBlockers, "The youth fund is not yet released by the Provincial Treasurer.", bot.FieldNeeds, "political_support"))
		},
		func() error {
			return d.answer(ctx, rodel, "COT0003", form("Limited", "OCDS export of 2025 contracts drafted."))
		},
		func() error {
			return d.answer(ctx, mila, "COT0004", form("Limited", "Protocol agreed with two of three tribal councils.",
				bot.FieldBlockers, "No interpreter budget for consultations in Lake Sebu.", bot.FieldNeeds, "resources"))
		},
		func() error { return d.at(ctx, 8, 9, 0, time.October) },
		func() error { return d.command(ctx, ernesto, "away 2026-11-20", false) },
	}
	for _, step := range script {
		if err := step(); err != nil {
			return err
		}
	}
	fmt.Fprintf(d.out, "October 2026 was a round too (its answers give November's digest a history), and on 8 Oct\n%s said /forum away 2026-11-20.\n\n", d.name(ernesto))
	return nil
}

func (d *demo) november(ctx context.Context) error {
	script := []func() error{
		func() error { return d.at(ctx, 1, 8, 59, time.November) },
		func() error { return d.at(ctx, 1, 9, 0, time.November) },
		func() error { return d.showPrompt(maria) },
		func() error { return d.at(ctx, 1, 9, 14, time.November) },
		func() error {
			return d.answer(ctx, maria, "COT0001", form("Substantial", "FOI manual published in Hiligaynon and T'boli; request tracker in beta.",
				bot.FieldEvidence, "https://southcotabato.gov.ph/foi"))
		},
		func() error {
			return d.answer(ctx, maria, "COT0002", form("Limited", "Youth projects list drafted with the SK Federation."))
		},
		func() error {
			return d.answer(ctx, ana, "COT0001", form("Limited", "Tracker beta tested: requests are logged, but replies still arrive late."))
		},
		func() error { return d.at(ctx, 2, 16, 40, time.November) },
		func() error {
			return d.reply(ctx, ramon, "COT0005 limited: sessions are streamed, but comments on ordinances are not open yet")
		},
		func() error {
			return d.answer(ctx, rodel, "COT0003", form("Substantial", "2025 contracts published in OCDS; dashboard prototype shown to the Board.",
				bot.FieldEvidence, "https://data.southcotabato.gov.ph/ocds"))
		},
		func() error {
			return d.answer(ctx, pedro, "COT0003", form("Not Started", "We see no public dashboard, and no monitors have been trained yet.",
				bot.FieldBlockers, "Monitors' training postponed twice; no date set."))
		},
		func() error {
			return d.answer(ctx, vicente, "COT0005", form("Limited", "Live streaming of sessions continues."))
		},
		func() error { return d.at(ctx, 3, 8, 5, time.November) },
		func() error {
			return d.answer(ctx, vicente, "COT0005", form("Substantial", "Live streaming continues; comment module for draft ordinances in testing.", bot.FieldMilestones, "M1"))
		},
		func() error { return d.at(ctx, 3, 10, 30, time.November) },
		func() error { return d.command(ctx, mayor, "status COT0O03", false) },
		func() error { return d.command(ctx, mayor, "status COT0003", true) },
		func() error { return d.command(ctx, grace, "digest", false) },
		func() error { return d.at(ctx, 4, 9, 0, time.November) },
		func() error { return d.at(ctx, 4, 11, 20, time.November) },
		func() error {
			return d.answer(ctx, carmela, "COT0003", form("Limited", "Two monitors' trainings scheduled for December.", bot.FieldNeeds, "resources"))
		},
		func() error {
			return d.answer(ctx, liza, "COT0002", form("Limited", "Budget hearing held; youth fund still pending.",
				bot.FieldBlockers, "The youth fund is not yet released by the Provincial Treasurer.", bot.FieldNeeds, "political_support"))
		},
		func() error { return d.at(ctx, 7, 9, 0, time.November) },
		func() error { return d.at(ctx, 8, 9, 0, time.November) },
	}
	for _, step := range script {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// showPrompt prints the prompt a member received, as an example.
func (d *demo) showPrompt(who string) error {
	msg, ok := d.person(who).Latest()
	if !ok {
		return fmt.Errorf("demo: %s has no prompt", who)
	}
	fmt.Fprintf(d.out, "\n  %s's prompt, as the local chat shows it:\n", d.name(bot.Address(who)))
	fmt.Fprintln(d.out, indent(bot.RenderText(msg.Message), "    │ "))
	fmt.Fprintln(d.out)
	return nil
}
