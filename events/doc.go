// Package events is baocao's event contract: the envelope every agency
// publishes, a typed payload per event type, the rules each must satisfy, the
// decoder that enforces them with errors naming each field, the upgrade of
// older schema versions, the NATS subject of each event, and the JSON Schemas
// generated from the same Go types.
//
// The package does no I/O. Families:
//
//   - agency: directory changes with effective dates (created, renamed,
//     merged, level changed, onboarded on the one-stop system);
//   - procedure: the catalogue (published, amended, repealed, delegated) and
//     its review (review planned, reviewed, simplification proposed);
//   - dossier: the lifecycle of one application, from receipt to rating;
//   - feedback: citizens' feedback and petitions (PAKN);
//   - plan, task: plans and the tasks they assign, with progress;
//   - indicator: figures reported from outside the event flow (PAR Index,
//     SIPAS, press items);
//   - report: the periodic reports baocao's own scheduler generated, with
//     their files, for other systems to pick up;
//   - contribution: an agency's text (a small Markdown subset) and figures
//     for one section of a report, submitted or withdrawn.
//
// Delivery is at least once and in any order, so an event is a fact with its
// own time (OccurredAt) and id; nothing in the contract depends on arrival
// order.
package events
