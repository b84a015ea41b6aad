namespace Ota.Web.Apis.Vehicles;

/// <summary>Longest accepted text per reported field, so a faulty vehicle cannot fill a column or a log with junk.</summary>
public static class EventFieldLimits
{
    public const int MessageId = 128;
    public const int EcuCode = 64;
    public const int Step = 128;
    public const int InnerErrorCode = 64;
    public const int Version = 64;
    public const int Result = 64;
}
