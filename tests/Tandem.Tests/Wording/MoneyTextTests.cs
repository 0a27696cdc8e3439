using Tandem.Data;
using Tandem.Components;

namespace Tandem.Tests.Wording;

public class MoneyTextTests
{
    [Theory]
    [InlineData(3_630_000L, "USD", "$36,300.00")]
    [InlineData(500_000L, "JPY", "¥5,000")]
    [InlineData(120_050L, "BRL", "R$1,200.50")]
    [InlineData(99L, "EUR", "€0.99")]
    [InlineData(100_000L, "GBP", "£1,000.00")]
    [InlineData(1_000L, "CHF", "CHF 10.00")]
    [InlineData(1_000L, "usd", "$10.00")]
    [InlineData(0L, "KRW", "₩0")]
    public void Amounts_read_in_their_currency_with_its_symbol_and_decimals(long minor, string currency, string expected) =>
        Assert.Equal(expected, Text.Money(minor, currency));

    [Fact]
    public void A_currency_without_decimals_rounds_half_away_from_zero() =>
        Assert.Equal("¥1,235", Text.Money(123_450L, "JPY"));

    [Fact]
    public void A_missing_currency_is_read_as_dollars_and_a_negative_amount_keeps_its_sign()
    {
        Assert.Equal("$1.50", Text.Money(150L, null));
        Assert.Equal("−$2.00", Text.Money(-2m, "USD"));
    }

    [Fact]
    public void Enum_names_read_as_words() =>
        Assert.Equal(("No decision", "Paid search", "MQL"), (Text.Words(Outcome.NoDecision), Text.Words(nameof(Channel.PaidSearch)), Text.Words(LifecycleStage.MQL)));
}
