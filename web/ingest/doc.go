// Package ingest is the HTTP door for agencies without a NATS client:
// POST /v1/events takes one event, a JSON array of events or JSON Lines,
// validates each with events.Decode (as `baocao publish` and the projector
// do), refuses events of another agency than the caller's and report
// events, publishes the rest with the event id as Nats-Msg-Id through the
// producers, and answers each event's outcome in input order. GET
// /v1/openapi.yaml serves the committed OpenAPI description.
//
// The caller is authenticated before the intake (web/auth's middleware puts
// the auth.Principal in the request's context); the intake publishes as its
// own NATS identity, which may publish every agency's subjects, so the agency
// check here is what keeps one agency's token from sending another's events.
//
// Each agency is bounded on its own: body size and events per request, a
// token-bucket rate of events, and requests in progress; what one agency
// sends never holds up another.
package ingest
