package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"time"

	"github.com/baocao/baocao/events"
)

// EventRow is one row of the events table: the envelope, the payload as JSON
// (at its current schema version) and the payload's fields in typed columns,
// so that analysts and the projection views need no JSON functions. A column
// a type does not use holds its zero value. Field names follow the columns.
type EventRow struct {
	ID            string
	Type          string
	SchemaVersion uint8
	Agency        string
	SubjectID     string
	OccurredAt    time.Time
	RecordedAt    time.Time
	StreamSeq     uint64
	StoredAt      time.Time // when the stream stored it
	Payload       string

	// Shared by several types.
	Name          string    // agency, procedure
	Reason        string    // rejections, stops, apologies, cancellations
	Channel       string    // dossier intake/return channel, feedback channel
	Outcome       string    // dossier result, procedure review
	Kind          string    // plan kind, delegation kind, report kind
	ToAgency      string    // dossier forwarded, procedure delegated
	EffectiveFrom time.Time // agency directory (Date)

	// Agency directory.
	Level  string
	Parent string
	Into   string
	System string

	// Procedure catalogue.
	Field          string
	Levels         []string
	DecisionNo     string
	DecisionDate   time.Time // Date
	StatutoryDays  float64
	OnlineLevel    string
	OnlineEligible uint8
	FeeVND         int64
	PaperResult    uint8
	Internal       uint8
	ReviewPlan     string
	Changes        []string // the fields a procedure.amended event sets

	// Dossiers.
	Procedure           string
	Applicant           string
	DueAt               time.Time
	NewDueAt            time.Time
	Components          uint16
	ComponentsDigitised uint16
	ComponentsReused    uint16
	AmountVND           int64
	Online              uint8
	Electronic          uint8
	Portal              string
	Satisfied           uint8
	Score               uint8

	// Feedback.
	Topic   string
	Handler string

	// Plans and tasks.
	Plan            string
	Code            string
	Title           string
	Lead            string
	Coordinating    []string
	DeadlineKind    string
	DeadlineDate    time.Time // Date
	DeadlineYear    uint16
	DeadlineMonth   uint8
	DeadlineQuarter uint8
	DeadlineHalf    uint8
	Recurrence      string
	Area            string
	Percent         uint8
	Product         string
	Year            uint16 // plan year, report year

	// Indicators.
	Indicator  string
	Value      float64
	Unit       string
	Rank       uint16
	RankOf     uint16
	PeriodFrom time.Time // Date; also a generated report's period
	PeriodTo   time.Time // Date
	Source     string
}

// RowFromEvent flattens a decoded event into its row. seq and storedAt come
// from the stream message.
func RowFromEvent(e events.Event, seq uint64, storedAt time.Time) (EventRow, error) {
	payload, err := json.Marshal(e.Payload)
	if err != nil {
		return EventRow{}, err
	}
	r := EventRow{
		ID: e.ID, Type: string(e.Type), SchemaVersion: uint8(e.SchemaVersion), Agency: e.Agency, SubjectID: e.SubjectID,
		OccurredAt: e.OccurredAt, RecordedAt: e.RecordedAt, StreamSeq: seq, StoredAt: storedAt, Payload: string(payload),
	}
	b := func(v bool) uint8 {
		if v {
			return 1
		}
		return 0
	}
	switch p := e.Payload.(type) {
	case events.AgencyCreated:
		r.Name, r.Level, r.Parent, r.EffectiveFrom = p.Name, string(p.Level), p.Parent, p.EffectiveFrom.Time
	case events.AgencyRenamed:
		r.Name, r.EffectiveFrom = p.Name, p.EffectiveFrom.Time
	case events.AgencyMerged:
		r.Into, r.EffectiveFrom = p.Into, p.EffectiveFrom.Time
	case events.AgencyLevelChanged:
		r.Level, r.Parent, r.EffectiveFrom = string(p.Level), p.Parent, p.EffectiveFrom.Time
	case events.AgencyOnboarded:
		r.System, r.EffectiveFrom = p.System, p.EffectiveFrom.Time

	case events.ProcedurePublished:
		r.Name, r.Field, r.Levels = p.Name, p.Field, strs(p.Levels)
		r.DecisionNo, r.DecisionDate, r.StatutoryDays = p.DecisionNo, p.DecisionDate.Time, p.StatutoryDays
		r.OnlineLevel, r.OnlineEligible, r.FeeVND = string(p.OnlineLevel), b(p.OnlineEligible), p.FeeVND
		r.PaperResult, r.Internal = b(p.PaperResult), b(p.Internal)
	case events.ProcedureAmended:
		r.DecisionNo, r.DecisionDate, r.Name, r.Field, r.Levels = p.DecisionNo, p.DecisionDate.Time, p.Name, p.Field, strs(p.Levels)
		r.OnlineLevel = string(p.OnlineLevel)
		changed := func(name string, set bool) {
			if set {
				r.Changes = append(r.Changes, name)
			}
		}
		changed("name", p.Name != "")
		changed("field", p.Field != "")
		changed("levels", len(p.Levels) > 0)
		changed("online_level", p.OnlineLevel != "")
		if p.StatutoryDays != nil {
			r.StatutoryDays = *p.StatutoryDays
			changed("statutory_days", true)
		}
		if p.OnlineEligible != nil {
			r.OnlineEligible = b(*p.OnlineEligible)
			changed("online_eligible", true)
		}
		if p.FeeVND != nil {
			r.FeeVND = *p.FeeVND
			changed("fee_vnd", true)
		}
		// no typed column: the projections read them from payload
		changed("one_stop", p.OneStop != nil)
		changed("internal_process_issued", p.InternalProcessIssued != nil)
	case events.ProcedureRepealed:
		r.DecisionNo, r.DecisionDate = p.DecisionNo, p.DecisionDate.Time
	case events.ProcedureDelegated:
		r.Kind, r.ToAgency, r.DecisionNo, r.DecisionDate = string(p.Kind), p.ToAgency, p.DecisionNo, p.DecisionDate.Time
	case events.ProcedureReviewPlanned:
		r.ReviewPlan, r.Internal = p.Plan, b(p.Internal)
	case events.ProcedureReviewed:
		r.ReviewPlan, r.Internal, r.Outcome = p.Plan, b(p.Internal), string(p.Outcome)
	case events.ProcedureSimplificationProposed:
		r.Internal, r.AmountVND = b(p.Internal), p.CostSavingVND

	case events.DossierReceived:
		r.Procedure, r.Field, r.Channel, r.Applicant, r.DueAt = p.Procedure, p.Field, string(p.Channel), string(p.Applicant), p.DueAt
		r.Components, r.ComponentsDigitised, r.ComponentsReused = u16(p.Components), u16(p.ComponentsDigitised), u16(p.ComponentsReused)
	case events.DossierRejected:
		r.Procedure, r.Channel, r.Reason = p.Procedure, string(p.Channel), p.Reason
	case events.DossierForwarded:
		r.ToAgency, r.Reason = p.ToAgency, p.Reason
	case events.DossierSupplementRequested:
		r.Reason = p.Reason
	case events.DossierSupplementSupplied:
		if p.NewDueAt != nil {
			r.NewDueAt = *p.NewDueAt
		}
	case events.DossierFeeRequested:
		r.AmountVND = p.AmountVND
	case events.DossierFeePaid:
		r.AmountVND, r.Online = p.AmountVND, b(p.Online)
	case events.DossierStopped:
		r.Reason = p.Reason
	case events.DossierWithdrawn:
		r.Reason = p.Reason
	case events.DossierApologyIssued:
		r.NewDueAt, r.Reason = p.NewDueAt, p.Reason
	case events.DossierResultIssued:
		r.Outcome, r.Electronic = string(p.Outcome), b(p.Electronic)
	case events.DossierResultReturned:
		r.Channel = string(p.Channel)
	case events.DossierSynced:
		r.Portal = string(p.Portal)
	case events.DossierRated:
		r.Satisfied, r.Score = b(p.Satisfied), uint8(p.Score)

	case events.FeedbackReceived:
		r.Channel, r.Topic, r.Procedure, r.DueAt = string(p.Channel), string(p.Topic), p.Procedure, p.DueAt
	case events.FeedbackClassified:
		r.Topic, r.Handler = string(p.Topic), p.Handler
	case events.FeedbackAnswered, events.FeedbackPublished:
	case events.FeedbackRejected:
		r.Reason = p.Reason
	case events.FeedbackRated:
		r.Satisfied = b(p.Satisfied)

	case events.PlanIssued:
		r.Code, r.Title, r.DecisionDate, r.Name, r.Kind, r.Year = p.Number, p.Title, p.IssuedOn.Time, p.Issuer, string(p.Kind), uint16(p.Year)
	case events.TaskAssigned:
		r.Plan, r.Code, r.Title, r.Lead, r.Coordinating = p.Plan, p.Code, p.Title, p.Lead, p.Coordinating
		r.Product, r.Area = p.ExpectedProduct, string(p.Area)
		r.setDeadline(p.Deadline)
	case events.TaskProgressReported:
		r.Percent = uint8(p.Percent)
	case events.TaskCompleted:
		r.Product = p.Product
	case events.TaskDeadlineChanged:
		r.Reason = p.Reason
		r.setDeadline(p.Deadline)
	case events.TaskCancelled:
		r.Reason = p.Reason

	case events.IndicatorReported:
		r.Indicator, r.Name, r.PeriodFrom, r.PeriodTo = string(p.Indicator), p.Name, p.PeriodFrom.Time, p.PeriodTo.Time
		r.Value, r.Unit, r.Rank, r.RankOf, r.Source = p.Value, p.Unit, uint16(p.Rank), uint16(p.RankOf), p.Source

	case events.ReportGenerated:
		// Period kind, cut-off, label and files have no column; they stay in payload.
		r.Kind, r.Year, r.PeriodFrom, r.PeriodTo = string(p.Report), uint16(p.Year), p.PeriodStart.Time, p.PeriodEnd.Time

	case events.ContributionSubmitted:
		// The slot is the subject_id; paragraphs and figures stay in payload.
		r.Kind, r.Year, r.Code = string(p.Report), uint16(p.Year), p.Section
	case events.ContributionWithdrawn:
		r.Kind, r.Year, r.Code, r.Reason = string(p.Report), uint16(p.Year), p.Section, p.Reason
	}
	if r.Levels == nil {
		r.Levels = []string{}
	}
	if r.Coordinating == nil {
		r.Coordinating = []string{}
	}
	if r.Changes == nil {
		r.Changes = []string{}
	}
	return r, nil
}

func (r *EventRow) setDeadline(d events.Deadline) {
	r.DeadlineKind, r.Recurrence = string(d.Kind), string(d.Recurrence)
	if d.Date != nil {
		r.DeadlineDate = d.Date.Time
	}
	r.DeadlineYear, r.DeadlineMonth, r.DeadlineQuarter, r.DeadlineHalf = uint16(d.Year), uint8(d.Month), uint8(d.Quarter), uint8(d.Half)
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func u16(n int) uint16 { return uint16(min(max(n, 0), 65535)) }

// Fingerprint identifies the row's body: the first 8 bytes (little-endian) of
// SHA-256 over its type, agency, subject_id, occurred_at and recorded_at in
// Unix seconds, and payload (canonical JSON at the current schema version),
// each written as "<byte length>:<value>". The same event re-sent has the
// same fingerprint however its JSON was formatted. The materialized view
// event_ids_mv computes the same in SQL (schema/migrations/0019_event_ids.sql);
// the stream's metadata (sequence, stored_at) is not part of it.
func (r *EventRow) Fingerprint() uint64 {
	h := sha256.New()
	for _, f := range []string{r.Type, r.Agency, r.SubjectID,
		strconv.FormatInt(orEpoch(r.OccurredAt).Unix(), 10), strconv.FormatInt(orEpoch(r.RecordedAt).Unix(), 10), r.Payload} {
		h.Write(strconv.AppendInt(nil, int64(len(f)), 10))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return binary.LittleEndian.Uint64(h.Sum(nil)[:8])
}
