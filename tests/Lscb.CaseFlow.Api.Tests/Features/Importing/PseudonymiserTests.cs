using System.Text;
using System.Text.RegularExpressions;
using Lscb.CaseFlow.Api.Features.Importing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Lscb.CaseFlow.Api.Host;

namespace Lscb.CaseFlow.Api.Tests.Features.Importing;

public sealed partial class PseudonymiserTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("a-secret-of-at-least-thirty-two-characters");

    [Fact]
    public void a_subject_is_32_characters_of_the_contract_s_pattern_and_the_same_for_the_same_child()
    {
        var subject = Pseudonymiser.SubjectOf(Secret, "DfEX0000001");

        subject.Length.ShouldBe(32);
        SubjectPattern().IsMatch(subject).ShouldBeTrue();
        Pseudonymiser.SubjectOf(Secret, "DfEX0000001").ShouldBe(subject);
        Pseudonymiser.SubjectOf(Secret, " dfex0000001\u00A0").ShouldBe(subject, "the formats write one id with other spaces and case");
        Pseudonymiser.SubjectOf(Secret, "DfEX0000002").ShouldNotBe(subject);
    }

    [Fact]
    public void another_authority_s_secret_gives_another_subject_and_no_secret_gives_none()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CaseFlow:Pseudonymisation:Secrets:default"] = "a-secret-of-at-least-thirty-two-characters",
            ["CaseFlow:Pseudonymisation:Secrets:E08000030"] = "another-secret-of-at-least-thirty-two-chars",
            ["CaseFlow:Pseudonymisation:Secrets:E08000031"] = "too-short",
        }).Build();
        var pseudonymiser = new Pseudonymiser(configuration, NullLogger<Pseudonymiser>.Instance);

        var ours = pseudonymiser.For(TenantIds.Default).ShouldNotBeNull()("9212044");
        var theirs = pseudonymiser.For("E08000030").ShouldNotBeNull()("9212044");

        ours.ShouldBe(Pseudonymiser.SubjectOf(Secret, "9212044"));
        theirs.ShouldNotBe(ours);
        pseudonymiser.For("E08000031").ShouldBeNull("a secret shorter than 32 characters is ignored");
        pseudonymiser.For("E09000001").ShouldBeNull();
    }

    [Fact]
    public void the_hash_is_hmac_sha256_keyed_with_the_secret()
    {
        // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?") = 5bdcc146bf60754e6a042426089575c7…
        // The subject is its first 160 bits in base32: 5b dc c1 46 bf → "lpomcrv7".
        var subject = Pseudonymiser.SubjectOf(Encoding.UTF8.GetBytes("Jefe"), "what do ya want for nothing?".ToUpperInvariant());
        subject.Length.ShouldBe(32);
        Pseudonymiser.SubjectOf(Encoding.UTF8.GetBytes("Jefe"), "WHAT DO YA WANT FOR NOTHING?").ShouldBe(subject);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("Jefe"), Encoding.UTF8.GetBytes("WHAT DO YA WANT FOR NOTHING?"));
        subject.ShouldBe(Base32(mac)[..32]);
        Base32(Convert.FromHexString("5bdcc146bf")).ShouldBe("lpomcrv7");
    }

    private static string Base32(byte[] bytes)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var bits = string.Concat(bytes.Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        return string.Concat(Enumerable.Range(0, bits.Length / 5).Select(i => alphabet[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]));
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex SubjectPattern();
}
