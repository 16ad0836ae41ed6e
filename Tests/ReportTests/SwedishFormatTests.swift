import Testing

@testable import Report

struct SwedishFormatTests {
    let nnbsp = "\u{202F}"

    @Test func groupsThousandsWithANarrowNoBreakSpaceAndUsesADecimalComma() {
        #expect(SwedishFormat.number(2330.5, decimals: 1) == "2\(nnbsp)330,5")
        #expect(SwedishFormat.number(1_234_567) == "1\(nnbsp)234\(nnbsp)567")
        #expect(SwedishFormat.number(999) == "999")
        #expect(SwedishFormat.number(1000) == "1\(nnbsp)000")
        #expect(SwedishFormat.number(0.05, decimals: 2) == "0,05")
        #expect(SwedishFormat.number(12, decimals: 1) == "12,0")
    }

    @Test func roundsAndWritesTheMinusSign() {
        #expect(SwedishFormat.number(2.349, decimals: 1) == "2,3")
        #expect(SwedishFormat.number(2.35, decimals: 1) == "2,4")
        #expect(SwedishFormat.number(-1500.25, decimals: 1) == "\u{2212}1\(nnbsp)500,3")
        #expect(SwedishFormat.number(-0.01, decimals: 1) == "0,0")  // no "−0,0"
        #expect(SwedishFormat.number(.nan) == "–")
    }

    @Test func signedNumbersAndPercent() {
        #expect(SwedishFormat.signedNumber(460) == "+460")
        #expect(SwedishFormat.signedNumber(-72) == "\u{2212}72")
        #expect(SwedishFormat.signedNumber(0) == "0")
        #expect(SwedishFormat.signedNumber(0.01, decimals: 1) == "0,0")
        #expect(SwedishFormat.percent(12.5) == "12,5\u{00A0}%")
        #expect(SwedishFormat.signedPercent(-6.7) == "\u{2212}6,7\u{00A0}%")
        #expect(SwedishFormat.signedPercent(14.25, decimals: 1) == "+14,3\u{00A0}%")
    }

    @Test func escapesHTML() {
        #expect(
            HTMLText.escape("<script>alert('x')</script> & \"y\"")
                == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;")
        #expect(HTMLText.safe("ring 850412-1234 <b>") == "ring ******-**** &lt;b&gt;")
    }
}
