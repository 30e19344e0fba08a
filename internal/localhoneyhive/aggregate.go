package localhoneyhive

import (
	"math"
	"slices"
	"strings"
)

// AggregateFunction is a value of the aggregate_function query parameter.
type AggregateFunction string

// The aggregate functions the service accepts (see API.md).
const (
	AggregateAverage AggregateFunction = "average"
	AggregateMin     AggregateFunction = "min"
	AggregateMax     AggregateFunction = "max"
	AggregateMedian  AggregateFunction = "median"
	AggregateP90     AggregateFunction = "p90"
	AggregateP95     AggregateFunction = "p95"
	AggregateP99     AggregateFunction = "p99"
	AggregateSum     AggregateFunction = "sum"
	AggregateCount   AggregateFunction = "count"
)

// DefaultAggregateFunction is used when the query parameter is absent or
// empty, as on the real service.
const DefaultAggregateFunction = AggregateAverage

// AggregateFunctions lists every accepted aggregate function, in the order
// the error message names them.
func AggregateFunctions() []AggregateFunction {
	return []AggregateFunction{
		AggregateAverage, AggregateMin, AggregateMax, AggregateMedian,
		AggregateP90, AggregateP95, AggregateP99, AggregateSum, AggregateCount,
	}
}

func (f AggregateFunction) valid() bool {
	return slices.Contains(AggregateFunctions(), f)
}

func aggregateFunctionNames() string {
	names := make([]string, 0, 9)
	for _, f := range AggregateFunctions() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// aggregate applies f to the numeric view of values: numbers as is,
// booleans as 1/0; strings, nulls and missing values are skipped.
// ok is false when nothing numeric remains (the aggregate is then null),
// except for count, which is 0.
//
// Percentiles (median = p50, p90, p95, p99) use linear interpolation between
// closest ranks on the sorted values: rank = p/100 × (n−1), the method of
// numpy's default and Excel's PERCENTILE.INC.
func aggregate(f AggregateFunction, values []Value) (result float64, ok bool) {
	nums := make([]float64, 0, len(values))
	for _, v := range values {
		if n, isNum := v.Numeric(); isNum {
			nums = append(nums, n)
		}
	}
	return aggregateNumbers(f, nums)
}

// aggregateNumbers is aggregate over plain numbers; it may reorder nums.
func aggregateNumbers(f AggregateFunction, nums []float64) (float64, bool) {
	if f == AggregateCount {
		return float64(len(nums)), true
	}
	if len(nums) == 0 {
		return 0, false
	}
	switch f {
	case AggregateSum:
		return sum(nums), true
	case AggregateMin:
		return slices.Min(nums), true
	case AggregateMax:
		return slices.Max(nums), true
	case AggregateMedian, AggregateP90, AggregateP95, AggregateP99:
		return percentile(nums, percentiles[f]), true
	default: // average
		return sum(nums) / float64(len(nums)), true
	}
}

var percentiles = map[AggregateFunction]float64{AggregateMedian: 50, AggregateP90: 90, AggregateP95: 95, AggregateP99: 99}

func sum(nums []float64) float64 {
	var total float64
	for _, n := range nums {
		total += n
	}
	return total
}

// percentile sorts nums in place and interpolates linearly between the two
// closest ranks.
func percentile(nums []float64, p float64) float64 {
	slices.Sort(nums)
	rank := p / 100 * float64(len(nums)-1)
	lower := int(math.Floor(rank))
	upper := int(math.Ceil(rank))
	if lower == upper {
		return nums[lower]
	}
	weight := rank - float64(lower)
	return nums[lower] + (nums[upper]-nums[lower])*weight
}
