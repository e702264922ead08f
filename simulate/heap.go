package simulate

// minHeap is a binary min-heap of T, ordered by T's before method.
type minHeap[T any, P interface {
	*T
	before(*T) bool
}] struct {
	h []T
}

func (q *minHeap[T, P]) len() int { return len(q.h) }

func (q *minHeap[T, P]) less(i, j int) bool { return P(&q.h[i]).before(&q.h[j]) }

func (q *minHeap[T, P]) push(x T) {
	q.h = append(q.h, x)
	for i := len(q.h) - 1; i > 0; {
		p := (i - 1) / 2
		if !q.less(i, p) {
			return
		}
		q.h[i], q.h[p] = q.h[p], q.h[i]
		i = p
	}
}

// pop removes and returns the least element.
func (q *minHeap[T, P]) pop() T {
	top := q.h[0]
	n := len(q.h) - 1
	q.h[0] = q.h[n]
	var zero T
	q.h[n] = zero
	q.h = q.h[:n]
	q.down(0)
	return top
}

// down moves element i down to its place; call it after i grew.
func (q *minHeap[T, P]) down(i int) {
	n := len(q.h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && q.less(r, l) {
			m = r
		}
		if !q.less(m, i) {
			return
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
}

// reorder restores the heap after elements were changed in place.
func (q *minHeap[T, P]) reorder() {
	for i := len(q.h)/2 - 1; i >= 0; i-- {
		q.down(i)
	}
}
