package models

import "math/big"

// NumberPrecision is the precision, in bits, at which Terraform reads number
// literals and jsondecode results (cty's ParseNumberVal). Numbers parsed at
// it keep every digit the server sent (a float64 rounds past 17 significant
// digits) and equal, digit for digit, what Terraform reads from the same
// text.
const NumberPrecision = 512

// ParseNumber reads decimal text as Terraform reads a number.
func ParseNumber(text string) (*big.Float, error) {
	f, _, err := big.ParseFloat(text, 10, NumberPrecision, big.ToNearestEven)
	return f, err
}
