namespace Tillpoint.Domain;

/// <summary>Every merchant has two separate worlds; objects of one are invisible in the other.</summary>
public enum ReleaseEnvironment
{
    Sandbox,
    Live,
}
