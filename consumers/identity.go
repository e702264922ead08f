package consumers

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/baocao/baocao/store"
)

// An event id names one body for good. The first body the stream recorded
// under an id (the lowest stream sequence) is the one projected; a later,
// different body under the same id is a conflict: it is not inserted, so no
// figure changes, and it goes to the dead letters with a reason naming the
// id, the sequence of the body kept and what differs. A body identical to
// the kept one (same store.Fingerprint) is a plain duplicate and is inserted
// again: the projections absorb it, and a batch whose earlier insert was
// partial is completed that way.
//
// The check reads db.event_ids, which the materialized view event_ids_mv
// fills from every insert into events. One projector inserts its batches
// in order, so within it the rule holds exactly. Projectors sharing the
// durable can insert a later body before an earlier one: the body already
// in events is kept, and the earlier one is dead-lettered flagged "out of
// stream order" (a rebuild replays in stream order and keeps the first).
// Two different bodies of one id checked at the same instant by two
// projectors can both be inserted; event_ids then holds two fingerprints
// for the id, which the view event_conflicts lists.

// ReadTables are the tables a projector reads to check event ids: a
// ClickHouse user that only ingests needs SELECT on them.
var ReadTables = []string{"event_ids", "events"}

// lookupChunk bounds the ids of one lookup query: 8,000 KSUIDs joined take
// 224 KB, under both engines' default max_query_size of 256 KiB.
const lookupChunk = 8000

// storedBody is one body event_ids holds for an id.
type storedBody struct {
	id          string
	fingerprint uint64
	seq         uint64 // the lowest stream sequence it came with
	typ         string
	agency      string
	subject     string
}

// conflict is a row of the batch that loses to the body kept under its id.
type conflict struct {
	row        int // index into batch.rows
	keptSeq    uint64
	keptRow    *store.EventRow // nil until fetched when the kept body is stored
	kept       storedBody
	outOfOrder bool // this body is earlier in the stream than the kept one
}

// checkIdentity moves the rows of b whose id already names another body to
// b's dead letters, with the reason.
func (p *Projector) checkIdentity(ctx context.Context, b *batch) error {
	if len(b.rows) == 0 {
		return nil
	}
	byID := map[string][]int{}
	for i := range b.rows {
		byID[b.rows[i].ID] = append(byID[b.rows[i].ID], i)
	}
	// sorted, so that each lookup query covers a narrow range of ids
	stored, err := p.lookupIDs(ctx, slices.Sorted(maps.Keys(byID)))
	if err != nil {
		return err
	}
	var conflicts []conflict
	for id, idx := range byID {
		bodies := stored[id]
		if len(bodies) == 0 && len(idx) == 1 {
			continue // a new id: the common case
		}
		fps := make([]uint64, len(idx))
		for k, i := range idx {
			fps[k] = b.rows[i].Fingerprint()
		}
		if len(bodies) == 0 && !slices.ContainsFunc(fps, func(f uint64) bool { return f != fps[0] }) {
			continue // a new id sent twice
		}
		accepted := map[uint64]bool{}
		var kept storedBody
		var keptRow *store.EventRow
		if len(bodies) > 0 {
			// Already in events: whatever is there stays; any body already
			// inserted is accepted again (inserting it changes nothing).
			kept = slices.MinFunc(bodies, func(a, b storedBody) int { return cmp.Compare(a.seq, b.seq) })
			for _, s := range bodies {
				accepted[s.fingerprint] = true
			}
		} else {
			first := slices.MinFunc(idx, func(a, c int) int { return cmp.Compare(b.rows[a].StreamSeq, b.rows[c].StreamSeq) })
			keptRow = &b.rows[first]
			kept = storedBody{fingerprint: keptRow.Fingerprint(), seq: keptRow.StreamSeq}
			accepted[kept.fingerprint] = true
		}
		for k, i := range idx {
			if !accepted[fps[k]] {
				conflicts = append(conflicts, conflict{row: i, keptSeq: kept.seq, keptRow: keptRow, kept: kept,
					outOfOrder: b.rows[i].StreamSeq < kept.seq})
			}
		}
	}
	if len(conflicts) == 0 {
		return nil
	}
	slices.SortFunc(conflicts, func(a, c conflict) int { return a.row - c.row })
	if err := p.fetchKept(ctx, conflicts); err != nil {
		return err
	}
	drop := map[int]bool{}
	outOfOrder := 0
	for _, c := range conflicts {
		r, m := &b.rows[c.row], b.good[c.row]
		reason := conflictReason(r, c)
		b.dead = append(b.dead, store.DeadLetter{StreamSeq: r.StreamSeq, Subject: m.Subject(), ReceivedAt: r.StoredAt, Reason: reason, Raw: m.Data()})
		b.deadMsgs = append(b.deadMsgs, m)
		drop[c.row] = true
		if c.outOfOrder {
			outOfOrder++
		}
	}
	rows, good := b.rows[:0:0], b.good[:0:0]
	for i := range b.rows {
		if !drop[i] {
			rows, good = append(rows, b.rows[i]), append(good, b.good[i])
		}
	}
	b.rows, b.good = rows, good
	p.metrics.conflicts.Add(float64(len(conflicts)))
	p.metrics.conflictsOutOfOrder.Add(float64(outOfOrder))
	p.log.Warn("event ids reused with a different body: not projected", "count", len(conflicts), "out_of_stream_order", outOfOrder,
		"first", b.dead[len(b.dead)-len(conflicts)].Reason)
	return nil
}

// lookupIDs returns the bodies event_ids holds for ids, which are sorted.
func (p *Projector) lookupIDs(ctx context.Context, ids []string) (map[string][]storedBody, error) {
	out := map[string][]storedBody{}
	for chunk := range slices.Chunk(ids, lookupChunk) {
		// One string split by the engine: parsing 20,000 literals of an IN
		// list cost 210-640 ms a batch, the whole lookup split 75-140 ms
		// (BENCHMARKS.md).
		// Ids are KSUIDs (base-62): no comma in them. The range lets the
		// primary key skip the granules outside the chunk's ids.
		q := "SELECT id, fingerprint, minMerge(first_seq), type, agency, subject_id FROM " + p.cfg.DB + ".event_ids" +
			" WHERE id >= " + store.Quote(chunk[0]) + " AND id <= " + store.Quote(chunk[len(chunk)-1]) +
			" AND id IN (SELECT arrayJoin(splitByChar(',', " + store.Quote(strings.Join(chunk, ",")) + ")))" +
			" GROUP BY id, fingerprint, type, agency, subject_id"
		var res *store.Result
		if err := p.retry(ctx, "lookup", "look up event ids", func(ctx context.Context) error {
			var err error
			res, err = p.store.Query(ctx, q)
			return err
		}); err != nil {
			return nil, err
		}
		for _, r := range res.Rows {
			fp, err1 := strconv.ParseUint(r[1], 10, 64)
			seq, err2 := strconv.ParseUint(r[2], 10, 64)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("projector: event_ids row %v: fingerprint and first_seq must be numbers", r)
			}
			out[r[0]] = append(out[r[0]], storedBody{id: r[0], fingerprint: fp, seq: seq, typ: r[3], agency: r[4], subject: r[5]})
		}
	}
	return out, nil
}

// fetchKept reads from events the kept bodies of conflicts that are not in
// the batch, to say what differs. events is ordered by (type, agency,
// subject_id, id): the query names all four.
func (p *Projector) fetchKept(ctx context.Context, cs []conflict) error {
	var need []*conflict
	for i := range cs {
		if cs[i].keptRow == nil {
			need = append(need, &cs[i])
		}
	}
	for chunk := range slices.Chunk(need, 1000) {
		set := func(f func(c *conflict) string) string {
			vals := map[string]bool{}
			for _, c := range chunk {
				vals[f(c)] = true
			}
			return quoteList(slices.Sorted(maps.Keys(vals)))
		}
		q := "SELECT id, type, agency, subject_id, toUnixTimestamp(occurred_at), toUnixTimestamp(recorded_at), payload FROM " + p.cfg.DB + ".events" +
			" WHERE type IN (" + set(func(c *conflict) string { return c.kept.typ }) + ")" +
			" AND agency IN (" + set(func(c *conflict) string { return c.kept.agency }) + ")" +
			" AND subject_id IN (" + set(func(c *conflict) string { return c.kept.subject }) + ")" +
			" AND id IN (" + set(func(c *conflict) string { return c.kept.id }) + ")"
		var res *store.Result
		if err := p.retry(ctx, "lookup", "read the bodies kept", func(ctx context.Context) error {
			var err error
			res, err = p.store.Query(ctx, q)
			return err
		}); err != nil {
			return err
		}
		for _, r := range res.Rows {
			occurred, _ := strconv.ParseInt(r[4], 10, 64)
			recorded, _ := strconv.ParseInt(r[5], 10, 64)
			row := &store.EventRow{ID: r[0], Type: r[1], Agency: r[2], SubjectID: r[3],
				OccurredAt: time.Unix(occurred, 0), RecordedAt: time.Unix(recorded, 0), Payload: r[6]}
			fp := row.Fingerprint()
			for _, c := range chunk {
				if c.kept.id == row.ID && c.kept.fingerprint == fp {
					c.keptRow = row
				}
			}
		}
	}
	return nil
}

// conflictReason says which body was kept and what differs in r.
func conflictReason(r *store.EventRow, c conflict) string {
	what := "the body kept could not be read back to compare"
	if c.keptRow != nil {
		d := differences(c.keptRow, r)
		switch len(d) {
		case 0:
			what = "bodies differ"
		case 1:
			what = d[0] + " differs"
		default:
			what = strings.Join(d, ", ") + " differ"
		}
	}
	s := fmt.Sprintf("event id %s was recorded at stream sequence %d with a different body (%s)", r.ID, c.keptSeq, what)
	if c.outOfOrder {
		s += fmt.Sprintf("; this body is earlier in the stream (sequence %d) but reached the projector after that one: "+
			"out of stream order, a rebuild keeps this body instead", r.StreamSeq)
	}
	return s
}

// differences names the fields in which two bodies differ: envelope fields
// by name, payload fields as payload.<name>.
func differences(a, b *store.EventRow) []string {
	var d []string
	for _, f := range []struct {
		name string
		x, y string
	}{
		{"type", a.Type, b.Type}, {"agency", a.Agency, b.Agency}, {"subject_id", a.SubjectID, b.SubjectID},
		{"occurred_at", strconv.FormatInt(a.OccurredAt.Unix(), 10), strconv.FormatInt(b.OccurredAt.Unix(), 10)},
		{"recorded_at", strconv.FormatInt(a.RecordedAt.Unix(), 10), strconv.FormatInt(b.RecordedAt.Unix(), 10)},
	} {
		if f.x != f.y {
			d = append(d, f.name)
		}
	}
	var pa, pb map[string]json.RawMessage
	if json.Unmarshal([]byte(a.Payload), &pa) != nil || json.Unmarshal([]byte(b.Payload), &pb) != nil {
		if a.Payload != b.Payload {
			d = append(d, "payload")
		}
		return d
	}
	keys := slices.Sorted(maps.Keys(pa))
	for k := range pb {
		if _, ok := pa[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if string(pa[k]) != string(pb[k]) {
			d = append(d, "payload."+k)
		}
	}
	return d
}

// quoteList writes ss as ClickHouse string literals separated by commas.
func quoteList(ss []string) string {
	var b strings.Builder
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(store.Quote(s))
	}
	return b.String()
}
