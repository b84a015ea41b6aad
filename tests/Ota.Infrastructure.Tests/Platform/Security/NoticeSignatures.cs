using System.Text;
using System.Text.Json;
using Ota.Domain;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Platform.Security;

/// <summary>The signature of a notice (SPEC §15): the canonical text a vehicle rebuilds, and what verifies and what does not.</summary>
public sealed class NoticeSignatures
{
    private static readonly TestSigningKey Product = TestSigningKey.Create();
    private static readonly VerifyingKey Published = VerifyingKey.From(Product.Published)!;

    private static readonly VehicleNotice Upgrade = new("42-LTESTS00000000001-0", 42, "LTESTS00000000001", "3.1.5", 7, TaskType.Normal, Generation.OTA1);

    [Fact]
    public void TheCanonicalTextIsTheFieldsLineByLine()
    {
        Assert.Equal("ota-notice-v1\n42-LTESTS00000000001-0\n42\nLTESTS00000000001\n3.1.5\n7\nNormal\nOTA1\n",
            Encoding.UTF8.GetString(NoticeSignature.Canonical(Upgrade.ToMessage())));
        var cancel = Upgrade with { MessageId = "42-LTESTS00000000001-cancel", PackageId = null, Kind = NoticeKind.Cancel };
        Assert.Equal("ota-notice-v1\n42-LTESTS00000000001-cancel\n42\nLTESTS00000000001\n3.1.5\n\nNormal\nOTA1\ncancel",
            Encoding.UTF8.GetString(NoticeSignature.Canonical(cancel.ToMessage())));
    }

    [Fact]
    public void ASignedNoticeVerifiesAfterTheWireWithTheSpecFieldsUnchanged()
    {
        var json = JsonSerializer.Serialize(Upgrade.ToMessage(Product.Key), NoticeJsonContext.Default.NoticeMessage);
        var received = JsonSerializer.Deserialize(json, NoticeJsonContext.Default.NoticeMessage)!;

        Assert.StartsWith("""{"messageId":"42-LTESTS00000000001-0","taskId":42,"vin":"LTESTS00000000001","version":"3.1.5","packageId":7,"upgradeType":"Normal","generation":"OTA1","keyId":""", json);
        Assert.Equal(Product.Key.KeyId, received.KeyId);
        Assert.Equal(64, Convert.FromBase64String(received.Signature!).Length);
        Assert.True(NoticeSignature.Verify(received, Published));
    }

    [Fact]
    public void ACancelNoticeIsSignedToo()
    {
        var cancel = (Upgrade with { MessageId = "42-LTESTS00000000001-cancel", Kind = NoticeKind.Cancel }).ToMessage(Product.Key);
        Assert.True(NoticeSignature.Verify(cancel, Published));
        Assert.False(NoticeSignature.Verify(cancel with { Kind = null }, Published));
    }

    [Fact]
    public void AnyFieldChangedAfterSigningFailsVerification()
    {
        var signed = Upgrade.ToMessage(Product.Key);
        NoticeMessage[] changed =
        [
            signed with { MessageId = "42-LTESTS00000000001-1" }, signed with { TaskId = 43 }, signed with { Vin = "LTESTS00000000002" },
            signed with { Version = "3.1.6" }, signed with { PackageId = 8 }, signed with { PackageId = null }, signed with { UpgradeType = "Forced" },
            signed with { Generation = "OTA2" }, signed with { Kind = NoticeMessage.CancelKind },
        ];
        Assert.All(changed, notice => Assert.False(NoticeSignature.Verify(notice, Published)));
    }

    [Fact]
    public void ANoticeSignedByAnotherKeyOrUnsignedFailsVerification()
    {
        // A forger who knows the product's key id but not its private key.
        var forger = TestSigningKey.Create(Product.Key.KeyId);
        var forged = Upgrade.ToMessage(forger.Key);

        Assert.Equal(Product.Key.KeyId, forged.KeyId);
        Assert.False(NoticeSignature.Verify(forged, Published));
        Assert.False(NoticeSignature.Verify(Upgrade.ToMessage(), Published));
        Assert.False(NoticeSignature.Verify(Upgrade.ToMessage(Product.Key) with { Signature = "not base64!" }, Published));
    }

    [Fact]
    public void AFieldWithALineBreakIsNeitherSignedNorVerified()
    {
        // Otherwise "a\n42" + "\n" + … could be read as other fields.
        Assert.Throws<ArgumentException>(() => (Upgrade with { Version = "3.1.5\n7" }).ToMessage(Product.Key));
        var signed = Upgrade.ToMessage(Product.Key);
        Assert.False(NoticeSignature.Verify(signed with { MessageId = signed.MessageId + "\n" }, Published));
    }

    [Fact]
    public void ADescriptionBodyVerifiesOnlyAsSigned()
    {
        var body = """{"descriptionId":"d1","vin":"LTESTS00000000001","ecus":[]}"""u8.ToArray();
        var signature = Product.Key.Sign(body);

        Assert.True(Published.Verify(body, signature));
        body[^3] = (byte)'{';
        Assert.False(Published.Verify(body, signature));
        Assert.False(Published.Verify(body, null));
    }
}
