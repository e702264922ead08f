package store

import "time"

// Column is a column of an inserted table, in insert order. Date marks Date
// columns, whose values are civil dates rather than instants.
type Column struct {
	Name string
	Date bool
}

// EventColumns are the columns of the events table, in the order of
// EventRow.Values.
var EventColumns = []Column{
	{Name: "id"}, {Name: "type"}, {Name: "schema_version"}, {Name: "agency"}, {Name: "subject_id"},
	{Name: "occurred_at"}, {Name: "recorded_at"}, {Name: "stream_seq"}, {Name: "stored_at"}, {Name: "payload"},
	{Name: "name"}, {Name: "reason"}, {Name: "channel"}, {Name: "outcome"}, {Name: "kind"}, {Name: "to_agency"},
	{Name: "effective_from", Date: true},
	{Name: "level"}, {Name: "parent"}, {Name: "into"}, {Name: "system"},
	{Name: "field"}, {Name: "levels"}, {Name: "decision_no"}, {Name: "decision_date", Date: true}, {Name: "statutory_days"},
	{Name: "online_level"}, {Name: "online_eligible"}, {Name: "fee_vnd"}, {Name: "paper_result"}, {Name: "internal"}, {Name: "review_plan"}, {Name: "changes"},
	{Name: "procedure"}, {Name: "applicant"}, {Name: "due_at"}, {Name: "new_due_at"},
	{Name: "components"}, {Name: "components_digitised"}, {Name: "components_reused"},
	{Name: "amount_vnd"}, {Name: "online"}, {Name: "electronic"}, {Name: "portal"}, {Name: "satisfied"}, {Name: "score"},
	{Name: "topic"}, {Name: "handler"},
	{Name: "plan"}, {Name: "code"}, {Name: "title"}, {Name: "lead"}, {Name: "coordinating"},
	{Name: "deadline_kind"}, {Name: "deadline_date", Date: true}, {Name: "deadline_year"}, {Name: "deadline_month"},
	{Name: "deadline_quarter"}, {Name: "deadline_half"}, {Name: "recurrence"}, {Name: "area"}, {Name: "percent"},
	{Name: "product"}, {Name: "year"},
	{Name: "indicator"}, {Name: "value"}, {Name: "unit"}, {Name: "rank"}, {Name: "rank_of"},
	{Name: "period_from", Date: true}, {Name: "period_to", Date: true}, {Name: "source"},
}

// Values returns the row's values in EventColumns order.
func (r *EventRow) Values() []any {
	return []any{
		r.ID, r.Type, r.SchemaVersion, r.Agency, r.SubjectID,
		orEpoch(r.OccurredAt), orEpoch(r.RecordedAt), r.StreamSeq, orEpoch(r.StoredAt), r.Payload,
		r.Name, r.Reason, r.Channel, r.Outcome, r.Kind, r.ToAgency,
		orEpoch(r.EffectiveFrom),
		r.Level, r.Parent, r.Into, r.System,
		r.Field, r.Levels, r.DecisionNo, orEpoch(r.DecisionDate), r.StatutoryDays,
		r.OnlineLevel, r.OnlineEligible, r.FeeVND, r.PaperResult, r.Internal, r.ReviewPlan, r.Changes,
		r.Procedure, r.Applicant, orEpoch(r.DueAt), orEpoch(r.NewDueAt),
		r.Components, r.ComponentsDigitised, r.ComponentsReused,
		r.AmountVND, r.Online, r.Electronic, r.Portal, r.Satisfied, r.Score,
		r.Topic, r.Handler,
		r.Plan, r.Code, r.Title, r.Lead, r.Coordinating,
		r.DeadlineKind, orEpoch(r.DeadlineDate), r.DeadlineYear, r.DeadlineMonth,
		r.DeadlineQuarter, r.DeadlineHalf, r.Recurrence, r.Area, r.Percent,
		r.Product, r.Year,
		r.Indicator, r.Value, r.Unit, r.Rank, r.RankOf,
		orEpoch(r.PeriodFrom), orEpoch(r.PeriodTo), r.Source,
	}
}

// DeadLetterColumns are the columns of the dead_letters table, in the order
// of DeadLetter.Values.
var DeadLetterColumns = []Column{{Name: "stream_seq"}, {Name: "subject"}, {Name: "stored_at"}, {Name: "reason"}, {Name: "raw"}}

// Values returns the dead letter's values in DeadLetterColumns order.
func (d *DeadLetter) Values() []any {
	return []any{d.StreamSeq, d.Subject, orEpoch(d.ReceivedAt), d.Reason, string(d.Raw)}
}

// ColumnList is "(a, b, c)" for an INSERT statement.
func ColumnList(cols []Column) string {
	s := "("
	for i, c := range cols {
		if i > 0 {
			s += ", "
		}
		s += c.Name
	}
	return s + ")"
}

// Epoch is what an unset DateTime or Date column holds: ClickHouse's zero.
var Epoch = time.Unix(0, 0).UTC()

// orEpoch maps Go's zero time, which ClickHouse cannot store, to Epoch.
func orEpoch(t time.Time) time.Time {
	if t.IsZero() {
		return Epoch
	}
	return t
}
