package simulate

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/baocao/baocao/events"
)

// Run simulates the province over the configured range and calls emit with
// every event in delivery order: roughly the order things happened, with
// the configured late, reordered and duplicate deliveries. It stops at the
// first error emit returns, or when ctx is done.
func Run(ctx context.Context, cfg Config, emit func(events.Event) error) (Stats, error) {
	if err := cfg.Validate(); err != nil {
		return Stats{}, err
	}
	g := newGenerator(cfg, emit)
	err := g.run(ctx)
	return g.stats, err
}

// WriteJSONL writes the events of Run to w, one JSON object per line.
func WriteJSONL(ctx context.Context, cfg Config, w io.Writer) (Stats, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	stats, err := Run(ctx, cfg, func(e events.Event) error { return enc.Encode(e) })
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return stats, err
}

// generator holds the simulated province and the schedule of what is still
// to happen. Each part of the province draws from its own random stream, so
// that, say, a different feedback rate leaves the dossiers unchanged.
type generator struct {
	cfg       Config
	cal       *calendar
	dir       *directory
	cat       *catalogue
	numbers   *docNumbers
	fieldPick sampler // fields of new procedures, by their share
	sched     schedule
	out       *delivery
	stats     Stats

	rDir, rCat, rDossier, rFeedback, rPlan, rContrib *rand.Rand

	from, to int32 // the range's first and last days
	end      int64 // its last second
	suffix   string

	daySeq      []int32     // dossiers received today, by agency
	feedbackSeq map[int]int // feedback received, by year
	steps       []step      // scratch space for a dossier's lifecycle

	// Dossiers in the schedule, and the most there have been at once.
	openDossiers, maxOpenDossiers int
}

// Random streams, one per part of the province.
const (
	streamDirectory = iota + 1
	streamCatalogue
	streamDossiers
	streamFeedback
	streamPlans
	streamDelivery
	streamContributions
)

func newGenerator(cfg Config, emit func(events.Event) error) *generator {
	stream := func(n uint64) *rand.Rand { return rand.New(rand.NewPCG(uint64(cfg.Seed), n)) }
	g := &generator{
		cfg:         cfg,
		cal:         newCalendar(),
		rDir:        stream(streamDirectory),
		rCat:        stream(streamCatalogue),
		rDossier:    stream(streamDossiers),
		rFeedback:   stream(streamFeedback),
		rPlan:       stream(streamPlans),
		rContrib:    stream(streamContributions),
		from:        dayOfDate(cfg.From),
		to:          dayOfDate(cfg.To),
		feedbackSeq: map[int]int{},
		stats:       Stats{ByType: map[events.Type]int64{}},
	}
	g.end = at(g.to+1, 0) - 1
	g.suffix = lastToken(cfg.ProvinceCode)
	g.dir = newDirectory(cfg, g.rDir, g.from)
	g.cat = newCatalogue(cfg, g.rCat, g.dir)
	g.numbers = &docNumbers{used: map[numberKey]bool{}, r: g.rCat}
	for i, f := range fieldSpecs {
		g.fieldPick.add(i, f.share)
	}
	g.daySeq = make([]int32, len(g.dir.units))
	g.out = newDelivery(cfg, stream(streamDelivery), time.Unix(g.end, int64(time.Second-time.Millisecond)).In(events.Vietnam), emit, &g.stats)
	return g
}

func lastToken(code string) string {
	for i := len(code) - 1; i >= 0; i-- {
		if code[i] == '.' {
			return code[i+1:]
		}
	}
	return code
}

func (g *generator) run(ctx context.Context) error {
	// The range opens with the directory and the catalogue as they stand.
	g.snapshotDirectory(at(g.from, 0))
	g.snapshotCatalogue(at(g.from, minute))
	for day := g.from; day <= g.to; day++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		g.startDay(day)
		if err := g.drain(ctx, at(day+1, 0)); err != nil {
			return err
		}
	}
	return g.out.flush()
}

// startDay starts what begins on day: directory and catalogue changes,
// plans, indicators, the collection rounds of periods closing, and the
// day's feedback and dossiers.
func (g *generator) startDay(day int32) {
	g.directoryChanges(day)
	if day == reformDay {
		g.reformCatalogue(day)
	}
	g.plans(day)
	if g.cal.isWorking(day) {
		g.decisions(day)
	}
	g.reviews(day)
	g.indicators(day)
	g.contributions(day)
	g.newFeedback(day)
	g.newDossiers(day)
}

// drain emits, in time order, every event scheduled before the instant
// before.
func (g *generator) drain(ctx context.Context, before int64) error {
	for n := 0; ; n++ {
		t, ok := g.sched.peek()
		if !ok || t >= before {
			return nil
		}
		if n%4096 == 4095 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		e, ok, next, more := g.sched.h[0].a.fire(g)
		if more {
			g.sched.reschedule(next)
		} else {
			g.sched.pop()
		}
		if ok {
			if err := g.out.send(e); err != nil {
				return err
			}
		}
	}
}

func (g *generator) snapshotDirectory(ts int64) {
	sb := g.script()
	for _, e := range g.dir.snapshot() {
		sb.add(g.provinceCode(), g.dir.units[e.subject].code, ts, e.p)
	}
	g.start(sb)
}

// directoryChanges applies the directory changes of day: the known ones of
// 2025, and small rearrangements at the start of each quarter.
func (g *generator) directoryChanges(day int32) {
	var evs []dirEvent
	if day == districtRenameOn {
		evs = append(evs, g.dir.renameDistricts(day)...)
	}
	if day == departmentMergeOn {
		evs = append(evs, g.dir.mergeDepartments(day)...)
	}
	date := dateOfDay(day)
	switch {
	case day == reformDay:
		evs = append(evs, g.dir.reform(g.rDir, day)...)
	case date.Day() == 1 && date.Month()%3 == 1:
		evs = append(evs, g.dir.rearrange(g.rDir, day, date.Month() == time.January || date.Month() == time.July)...)
	}
	if len(evs) == 0 {
		return
	}
	g.dir.rebuild()
	sb := g.script()
	for _, e := range evs {
		sb.add(g.provinceCode(), g.dir.units[e.subject].code, at(day, 30), e.p)
	}
	g.start(sb)
	if slices.ContainsFunc(evs, func(e dirEvent) bool { _, ok := e.p.(events.AgencyMerged); return ok }) {
		g.handOver(day)
	}
}

func (g *generator) provinceCode() string { return g.dir.units[province].code }

// event builds an event without its id and recorded_at, which delivery
// sets.
func (g *generator) event(agency, subject string, ts int64, p events.Payload) events.Event {
	t := p.EventType()
	return events.Event{Type: t, SchemaVersion: events.CurrentVersion(t), Agency: agency, SubjectID: subject, OccurredAt: timeOf(ts), Payload: p}
}

// scriptBuilder collects the events of a script; those after the range are
// dropped.
type scriptBuilder struct {
	g   *generator
	evs []events.Event
}

func (g *generator) script() *scriptBuilder { return &scriptBuilder{g: g} }

func (b *scriptBuilder) add(agency, subject string, ts int64, p events.Payload) {
	if ts <= b.g.end {
		b.evs = append(b.evs, b.g.event(agency, subject, ts, p))
	}
}

// start schedules a script's events.
func (g *generator) start(b *scriptBuilder) {
	if len(b.evs) == 0 {
		return
	}
	slices.SortStableFunc(b.evs, func(x, y events.Event) int { return x.OccurredAt.Compare(y.OccurredAt) })
	g.sched.add(b.evs[0].OccurredAt.Unix(), &script{evs: b.evs})
}

// workTime is a random moment of office hours on day (or on the next
// working day if day is not one).
func (g *generator) workTime(r *rand.Rand, day int32) int64 {
	return g.cal.fromWorkSecs(g.cal.workSecs(at(day, 0)) + int64(r.IntN(workDaySecs)))
}

// poisson draws a Poisson-distributed count with the given mean.
func poisson(r *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 30 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
