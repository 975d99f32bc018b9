package service_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"portico/internal/domain"
)

// BenchmarkCompleteTask measures durable completions (task and activity entry in one
// transaction) per second, with 1 and with 32 clients completing at once.
func BenchmarkCompleteTask(b *testing.B) {
	for _, clients := range []int{1, 32} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			f := newFixture(b, false)
			tasks := make([]domain.ID, 64)
			for i := range tasks {
				tasks[i] = f.task(b, fmt.Sprintf("task %d", i), true).ID
			}
			var n atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			for range clients {
				wg.Go(func() {
					for i := n.Add(1); i <= int64(b.N); i = n.Add(1) {
						done := (i/int64(len(tasks)))%2 == 0
						if _, err := f.svc.SetTaskDone(f.client, tasks[i%int64(len(tasks))], done); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "completions/s")
		})
	}
}
