// Package simulate generates the events of a realistic province over a date
// range, deterministically: the same Config gives the same events, byte for
// byte.
//
// The province is shaped on Hải Phòng and the seeds' figures: departments,
// districts and communes on the one-stop system (with the 1/3/2025
// department mergers and the 1/7/2025 two-tier reform when the range covers
// them), a catalogue of procedures with its decisions and reviews, dossiers
// through their whole lifecycle (receipt or rejection, joint processing,
// fees, supplements, apologies, results, return, portal synchronisation,
// rating), citizen feedback, the year's plans and their tasks, the
// indicators reported from outside (PAR Index, SIPAS, press items), and the
// collection rounds of the periodic reports: after each quarter, half-year
// and year closes, departments, districts and the province office send their
// parts of the report's sections (contribution events), some late, some
// revised or withdrawn and sent again.
//
// The range starts with a snapshot: every agency and procedure in force,
// recorded at its first instant, with effective and decision dates before
// it, and the plans of the year already issued. Dossiers received near its
// end are still in progress when it ends.
//
// Events are emitted as a feed delivers them: in time order, except for the
// configured fractions delivered late, reordered or twice. Memory stays
// bounded however long the range: only open dossiers, tasks and feedback
// items are held, one schedule entry each, with their remaining steps.
package simulate
